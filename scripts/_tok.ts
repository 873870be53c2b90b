import { db } from "~/db/connection.server";
import { createSession } from "~/features/auth/sessions.server";
const rep = db().$client.prepare("select u.id from users u join user_roles r on r.user_id=u.id and r.role='rep' limit 1 offset 7").get() as { id: string };
console.log(createSession(rep.id));
