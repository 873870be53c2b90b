// The lesson kit as the renderer sees it: one component for each name on the allow-list.
import type { ComponentType } from "react";
import { LESSON_KIT } from "./allow-list";
import { Audio, Buyer, Callout, Dialogue, Example, KeyPoint, Rep, Strong, Video, Weak, Why } from "./prose";
import { Choice, Quiz } from "./quiz";
import { Criterion, Level, Reply, RolePlay, Rubric, Turn } from "./roleplay";

export const lessonKit = {
  Callout,
  KeyPoint,
  Example,
  Weak,
  Strong,
  Why,
  Dialogue,
  Buyer,
  Rep,
  Quiz,
  Choice,
  RolePlay,
  Turn,
  Reply,
  Rubric,
  Criterion,
  Level,
  Video,
  Audio,
} satisfies Record<keyof typeof LESSON_KIT, ComponentType<never>>;
