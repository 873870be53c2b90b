// The components a lesson may use, the literal attributes each accepts, and where each may
// appear. The compiler enforces this list; the renderer maps the same names to components.

export type AttributeRule = {
  required?: boolean;
  boolean?: boolean;
  oneOf?: readonly string[];
  /** An address the page loads (a video, its poster or captions, audio): see decision 017. */
  media?: boolean;
  integer?: [number, number];
};

export type ComponentRule = {
  attributes: Record<string, AttributeRule>;
  /** Components it must sit directly inside (after paragraphs are looked through). */
  parents?: readonly string[];
};

export const LESSON_KIT: Record<string, ComponentRule> = {
  Callout: { attributes: { kind: { oneOf: ["tip", "warning", "note"] }, title: {} } },
  KeyPoint: { attributes: {} },
  Example: { attributes: { title: {} } },
  Weak: { attributes: {}, parents: ["Example"] },
  Strong: { attributes: {}, parents: ["Example"] },
  Why: { attributes: {}, parents: ["Example"] },
  Dialogue: { attributes: {} },
  Buyer: { attributes: { name: {} }, parents: ["Dialogue"] },
  Rep: { attributes: { name: {} }, parents: ["Dialogue"] },
  Quiz: { attributes: { id: { required: true }, prompt: { required: true }, multiple: { boolean: true } } },
  Choice: { attributes: { correct: { boolean: true }, explanation: { required: true } }, parents: ["Quiz"] },
  RolePlay: {
    attributes: {
      id: { required: true },
      mode: { required: true, oneOf: ["branching", "open"] },
      title: { required: true },
      persona: { required: true },
      situation: { required: true },
      goal: { required: true },
    },
  },
  Turn: { attributes: { id: { required: true }, buyer: { required: true }, hint: {} }, parents: ["RolePlay"] },
  Reply: {
    attributes: { points: { required: true, integer: [0, 10] }, feedback: { required: true }, next: {} },
    parents: ["Turn"],
  },
  Rubric: { attributes: {}, parents: ["RolePlay"] },
  Criterion: {
    attributes: { id: { required: true }, name: { required: true }, weight: { required: true, integer: [1, 100] } },
    parents: ["Rubric"],
  },
  Level: { attributes: { score: { required: true, integer: [1, 5] } }, parents: ["Criterion"] },
  Video: {
    attributes: {
      src: { required: true, media: true },
      captions: { media: true },
      title: { required: true },
      poster: { media: true },
    },
  },
  Audio: { attributes: { src: { required: true, media: true }, title: { required: true } } },
};

/** Attributes that reveal answers: the compiler removes them from the code sent to browsers. */
export const ANSWER_KEY_ATTRIBUTES: Record<string, readonly string[]> = {
  Choice: ["correct", "explanation"],
  Reply: ["points", "feedback", "next"],
};

// Names come from lesson files: looked up as own properties only, so `constructor`, `__proto__`
// or `toString` are unknown names rather than members every object inherits.

/** The kit's rule for a component, or undefined when the name is not in the kit. */
export function kitComponent(name: string): ComponentRule | undefined {
  return Object.hasOwn(LESSON_KIT, name) ? LESSON_KIT[name] : undefined;
}

/** The rule for one attribute of a kit component, or undefined when the component has no such attribute. */
export function kitAttribute(rule: ComponentRule, name: string): AttributeRule | undefined {
  return Object.hasOwn(rule.attributes, name) ? rule.attributes[name] : undefined;
}

/** The attributes the compiler removes from a component (none for most). */
export function answerKeyAttributes(name: string): readonly string[] {
  return Object.hasOwn(ANSWER_KEY_ATTRIBUTES, name) ? ANSWER_KEY_ATTRIBUTES[name]! : [];
}
