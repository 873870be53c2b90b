/**
 * Where "copy to my organization" puts a library lesson: one of the organization's modules (its
 * id), or this value for a new module named as the lesson's library module, so a trainer with no
 * module yet can copy a lesson in one step.
 */
export const NEW_MODULE = "new";
