// The entry of a simulation worker thread: tsx's loader is registered in this thread (Node 20's
// worker threads do not inherit the main thread's), then the TypeScript runner takes over.
import { register } from "tsx/esm/api";

register();
await import("./run.ts");
