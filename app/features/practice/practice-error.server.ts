// The error a role-play action shows its person, with the HTTP status to answer with.
export class PracticeError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409,
  ) {
    super(message);
  }
}
