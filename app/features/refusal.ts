// "You asked for something you cannot have": one error for every feature to throw, carrying the
// message a person reads and the HTTP status the route answers with (see handleForm in forms.ts).

export type RefusalStatus = 400 | 403 | 404 | 409 | 410 | 411 | 413 | 415 | 422 | 429;

export class Refusal extends Error {
  constructor(
    message: string,
    readonly status: RefusalStatus = 400,
    /** The form field the refusal is about, when there is one (an e-mail already taken). */
    readonly field?: string,
  ) {
    super(message);
    this.name = "Refusal";
  }
}
