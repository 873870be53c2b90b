// Images trainers upload for their organization's lessons (decision 032): PNG, JPEG, WebP or GIF
// of at most 2 MB, known by their first bytes (never by the file's name or the type the browser
// claims), stored in the database under a name made from their content, and served only to the
// organization's signed-in people at /content/images/<name>.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { and, count, desc, eq, like, or } from "drizzle-orm";
import { z } from "zod";
import { first, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { contentImages, lessonDrafts, lessons, lessonVersions } from "~/db/schema";
import { Refusal } from "~/features/refusal";
import { ORGANIZATION_IMAGE_NAME, ORGANIZATION_IMAGE_PATH } from "./rules/safe-subset";

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** Images an organization may keep: far more than its lessons need, and a bound on its storage. */
export const MAX_IMAGES_PER_ORGANIZATION = 1000;

type ImageType = { contentType: string; extension: "png" | "jpg" | "webp" | "gif" };

const ascii = (bytes: Uint8Array, from: number, text: string) =>
  text.split("").every((c, i) => bytes[from + i] === c.charCodeAt(0));

/** The image type the bytes begin with, or null for anything else (an SVG, a page, a PDF…). */
export function imageType(bytes: Uint8Array): ImageType | null {
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b))
    return { contentType: "image/png", extension: "png" };
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return { contentType: "image/jpeg", extension: "jpg" };
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) return { contentType: "image/webp", extension: "webp" };
  if (ascii(bytes, 0, "GIF87a") || ascii(bytes, 0, "GIF89a")) return { contentType: "image/gif", extension: "gif" };
  return null;
}

export const imageAltField = z
  .string({ error: "Say what the image shows: it becomes the alt text for reps who cannot see it." })
  .trim()
  .min(3, { error: "Say what the image shows in a few words: it becomes the alt text for reps who cannot see it." })
  .max(200, { error: "Keep the description under 200 characters." })
  // Kept to what a Markdown image's brackets can hold as written.
  .refine((alt) => !/[[\]\n\r]/.test(alt), { error: "Leave square brackets and line breaks out of the description." });

export type OrganizationImage = {
  name: string;
  url: string;
  alt: string;
  bytes: number;
  snippet: string;
  createdAt: Date;
};

const view = (row: { name: string; alt: string; bytes: number; createdAt: Date }): OrganizationImage => {
  const url = ORGANIZATION_IMAGE_PATH + row.name;
  return { ...row, url, snippet: `![${row.alt}](${url})` };
};

/**
 * Stores an uploaded image for the organization. The same picture uploaded again is the same
 * image (its name is its content's hash); the description given last is kept.
 */
export async function saveImage(
  db: Handle,
  uploader: { id: string; orgId: string },
  bytes: Uint8Array,
  alt: string,
  now: Date,
): Promise<OrganizationImage> {
  if (bytes.length === 0) throw new Refusal("Choose an image file to upload.", 400, "file");
  if (bytes.length > MAX_IMAGE_BYTES)
    throw new Refusal(
      "That image is larger than 2 MB. Save it smaller (a width of 1600 pixels is plenty) and upload it again.",
      413,
      "file",
    );
  const type = imageType(bytes);
  if (!type)
    throw new Refusal(
      "That file is not a PNG, JPEG, WebP or GIF image (whatever its name says). Save it in one of those formats and upload it again.",
      415,
      "file",
    );
  const name = `${encodeHexLowerCase(sha256(bytes)).slice(0, 32)}.${type.extension}`;
  const existing = await first(
    db
      .select({ id: contentImages.id })
      .from(contentImages)
      .where(and(eq(contentImages.orgId, uploader.orgId), eq(contentImages.name, name)))
      .limit(1),
  );
  if (existing) {
    await db.update(contentImages).set({ alt }).where(eq(contentImages.id, existing.id));
  } else {
    const stored =
      (await first(db.select({ n: count() }).from(contentImages).where(eq(contentImages.orgId, uploader.orgId))))?.n ??
      0;
    if (stored >= MAX_IMAGES_PER_ORGANIZATION)
      throw new Refusal(
        `Your organization has ${MAX_IMAGES_PER_ORGANIZATION} images, the most it may keep. Ask your administrator before adding more.`,
        409,
        "file",
      );
    await db
      .insert(contentImages)
      .values({
        id: newId(),
        orgId: uploader.orgId,
        name,
        contentType: type.contentType,
        bytes: bytes.length,
        alt,
        data: Buffer.from(bytes),
        uploadedBy: uploader.id,
        createdAt: now,
      })
      // Two uploads of one picture at the same moment: one row.
      .onConflictDoNothing({ target: [contentImages.orgId, contentImages.name] });
  }
  return view({ name, alt, bytes: bytes.length, createdAt: now });
}

/** The organization's images, newest first, without their bytes. */
export async function organizationImages(db: Handle, orgId: string): Promise<OrganizationImage[]> {
  const found = await db
    .select({
      name: contentImages.name,
      alt: contentImages.alt,
      bytes: contentImages.bytes,
      createdAt: contentImages.createdAt,
    })
    .from(contentImages)
    .where(eq(contentImages.orgId, orgId))
    .orderBy(desc(contentImages.createdAt), desc(contentImages.name));
  return found.map(view);
}

/** One image of the organization with its bytes, or null (another organization's is not found either). */
export async function imageForReader(
  db: Handle,
  orgId: string,
  name: string,
): Promise<{ name: string; contentType: string; data: Buffer } | null> {
  if (!ORGANIZATION_IMAGE_NAME.test(name)) return null;
  const found = await first(
    db
      .select({ name: contentImages.name, contentType: contentImages.contentType, data: contentImages.data })
      .from(contentImages)
      .where(and(eq(contentImages.orgId, orgId), eq(contentImages.name, name)))
      .limit(1),
  );
  return found ?? null;
}

/**
 * Deletes one of the organization's images, unless a lesson still shows it: the current version
 * or the draft of any of its lessons (archived ones too, which may come back). Those are named,
 * so the trainer knows where to take it out.
 */
export async function deleteImage(db: Handle, orgId: string, name: string): Promise<void> {
  const image = await first(
    db
      .select({ id: contentImages.id })
      .from(contentImages)
      .where(and(eq(contentImages.orgId, orgId), eq(contentImages.name, name)))
      .limit(1),
  );
  if (!image) throw new Refusal("That image is not one of your organization's (it may be deleted already).", 404);
  const shown = `%${ORGANIZATION_IMAGE_PATH}${name}%`;
  const using = await db
    .selectDistinct({ title: lessons.title })
    .from(lessons)
    .leftJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
    .leftJoin(lessonDrafts, eq(lessonDrafts.lessonId, lessons.id))
    .where(and(eq(lessons.owner, orgId), or(like(lessonVersions.source, shown), like(lessonDrafts.body, shown))))
    .orderBy(lessons.title);
  if (using.length)
    throw new Refusal(
      `That image is still in ${using.map((l) => `“${l.title}”`).join(", ")}. Take it out of ${using.length === 1 ? "that lesson" : "those lessons"} (and publish) first, then delete it.`,
      409,
    );
  await db.delete(contentImages).where(eq(contentImages.id, image.id));
}
