// The in-app notifications a rep reads on Today (a manager's review of their role-play).
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Handle } from "~/db/connection.server";
import { notifications } from "~/db/schema";

export async function unreadNotifications(db: Handle, userId: string) {
  return db
    .select({
      id: notifications.id,
      title: notifications.title,
      link: notifications.link,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .orderBy(desc(notifications.createdAt))
    .limit(5);
}
