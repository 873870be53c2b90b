// `npm run dev` and `npm run seed`: migrate, and load the demo into an empty database.
import { demoLoginsText, prepareServer } from "~/features/ops/prepare.server";

const { seeded } = await prepareServer();
console.log(seeded ? "Loaded the demo organization." : "Database ready.");
const logins = demoLoginsText();
if (logins) console.log(logins);
