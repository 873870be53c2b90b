// Starts a throw-away PostgreSQL 15 server in a temporary folder, for tests and by hand.
//   import { startPostgres } from "./scripts/postgres/throwaway.mjs";
//   const pgServer = await startPostgres(); ... pgServer.url ... await pgServer.stop();
// By hand: `node scripts/postgres/throwaway.mjs` prints the url and stops the server on Ctrl-C.
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";

const execFileAsync = promisify(execFile);
// Debian's server binaries: version 15 where present (the version this project is tested on),
// else the newest installed one.
const binDir = process.env.PG_BIN ?? debianBinDir();

function debianBinDir() {
  const root = "/usr/lib/postgresql";
  const preferred = path.join(root, "15/bin");
  if (fs.existsSync(preferred) || !fs.existsSync(root)) return preferred;
  const versions = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && Number(v) >= 15)
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], "bin") : preferred;
}
const requiredBinaries = ["initdb", "pg_ctl", "postgres", "createdb"];
const databaseName = "flywheel";
const isRoot = process.getuid?.() === 0;
const liveServers = new Set();

/**
 * `durable: true` keeps PostgreSQL's crash safety (fsync, synchronous commits), for the bench,
 * which compares it with SQLite at synchronous=FULL; tests run without it.
 */
export async function startPostgres({ label = "flywheel", durable = false } = {}) {
  assertBinariesPresent();
  const dir = await makeTempDir(label);
  const server = {
    dir,
    dataDir: path.join(dir, "data"),
    logFile: path.join(dir, "log"),
    port: 0,
    running: false,
    durable,
  };
  liveServers.add(server);
  try {
    await initCluster(server);
    await startOnFreePort(server);
    await run("createdb", ["-h", "127.0.0.1", "-p", String(server.port), "-U", "postgres", databaseName], server.dir);
  } catch (error) {
    await destroy(server);
    throw error;
  }
  return handleFor(server);
}

/** Stops the server but keeps its data, to simulate the database going away. */
export async function stopServer(handle) {
  await handle.halt();
}

/** Starts a server stopped with stopServer again, on the same port and with the same data. */
export async function startServer(handle) {
  await handle.resume();
}

export async function createDatabase(baseUrl, name, template) {
  assertDatabaseName(name);
  if (template !== undefined) assertDatabaseName(template);
  const from = template === undefined ? "" : ` TEMPLATE "${template}"`;
  await withClient(baseUrl, (client) => client.query(`CREATE DATABASE "${name}"${from}`));
  return urlForDatabase(baseUrl, name);
}

export async function dropDatabase(baseUrl, name) {
  assertDatabaseName(name);
  // FORCE ends connections a test left open, which would otherwise make the drop fail.
  await withClient(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

function handleFor(server) {
  let stopping;
  return {
    url: urlFor(server.port),
    port: server.port,
    dataDir: server.dataDir,
    stop: () => (stopping ??= destroy(server)),
    halt: () => halt(server),
    resume: () => resume(server),
    restart: async () => {
      await halt(server);
      await resume(server);
    },
  };
}

function assertBinariesPresent() {
  const missing = requiredBinaries.filter((name) => !fs.existsSync(path.join(binDir, name)));
  if (missing.length > 0) {
    throw new Error(
      `PostgreSQL 15 server binaries not found in ${binDir}: install Debian's postgresql package (apt-get install postgresql) or set TEST_DATABASE_URL`,
    );
  }
}

function assertDatabaseName(name) {
  if (!/^[a-z0-9_]+$/.test(name))
    throw new Error(`Invalid database name ${JSON.stringify(name)}: use only a-z, 0-9 and _`);
}

async function makeTempDir(label) {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `${label}-pg-`));
  // initdb and the server refuse to run as root, so as root they run as postgres and need to own the folder.
  if (isRoot) await fs.promises.chown(dir, ...(await postgresUserIds()));
  return dir;
}

async function postgresUserIds() {
  try {
    const ids = await Promise.all(["-u", "-g"].map((flag) => execFileAsync("id", [flag, "postgres"])));
    return ids.map(({ stdout }) => Number(stdout.trim()));
  } catch {
    throw new Error(
      "Running as root, but there is no postgres system user to run PostgreSQL as: install Debian's postgresql package",
    );
  }
}

async function initCluster(server) {
  await run(
    "initdb",
    ["-D", server.dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"],
    server.dir,
  );
}

// Another process can take the port between finding it free and the server binding it, so try a few.
async function startOnFreePort(server, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    server.port = await findFreePort();
    try {
      await pgCtlStart(server);
      return;
    } catch (error) {
      if (attempt >= attempts || !readLog(server).includes("Address already in use")) throw error;
    }
  }
}

async function halt(server) {
  if (!server.running) return;
  await run("pg_ctl", ["-D", server.dataDir, "-m", "fast", "-w", "stop"], server.dir);
  server.running = false;
}

async function resume(server) {
  if (!server.running) await pgCtlStart(server);
}

async function pgCtlStart(server) {
  // fsync and friends are off for a throw-away test server: losing its data in a crash is fine.
  const safety = server.durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"];
  const options = [
    `-p ${server.port}`,
    `-k "${server.dir}"`,
    "-c listen_addresses=127.0.0.1",
    ...safety,
    "-c max_connections=200",
    "-c shared_buffers=128MB",
    // The setting the README recommends for a server on SSD (decision 010): the default (4)
    // prices a random read as a spinning disk's and sends the dashboards to sequential scans.
    "-c random_page_cost=1.1",
  ].join(" ");
  try {
    await run("pg_ctl", ["-D", server.dataDir, "-l", server.logFile, "-w", "-o", options, "start"], server.dir);
  } catch (error) {
    error.message += `\n--- server log ---\n${readLog(server)}`;
    throw error;
  }
  server.running = true;
}

async function destroy(server) {
  try {
    await halt(server);
  } finally {
    liveServers.delete(server);
    await fs.promises.rm(server.dir, { recursive: true, force: true });
  }
}

async function run(binary, args, cwd) {
  const [file, fileArgs] = commandFor(binary, args);
  try {
    // cwd is the temp folder because the postgres user may not be able to read the caller's working directory.
    return await execFileAsync(file, fileArgs, { cwd, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const output = [error.stdout, error.stderr]
      .map((text) => text?.trim())
      .filter(Boolean)
      .join("\n");
    throw new Error(`${binary} ${args.join(" ")} failed (${error.code ?? error.signal}):\n${output}`, { cause: error });
  }
}

function commandFor(binary, args) {
  const binaryPath = path.join(binDir, binary);
  return isRoot ? ["runuser", ["-u", "postgres", "--", binaryPath, ...args]] : [binaryPath, args];
}

function findFreePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function readLog(server) {
  try {
    return fs.readFileSync(server.logFile, "utf8");
  } catch {
    return "(no log)";
  }
}

function urlFor(port) {
  return `postgres://postgres@127.0.0.1:${port}/${databaseName}`;
}

function urlForDatabase(baseUrl, name) {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// A test process that exits without calling stop() would otherwise leave servers running and folders behind.
process.on("exit", () => {
  for (const server of liveServers) {
    const [file, fileArgs] = commandFor("pg_ctl", ["-D", server.dataDir, "-m", "immediate", "-w", "stop"]);
    try {
      if (server.running) execFileSync(file, fileArgs, { cwd: server.dir, stdio: "ignore" });
    } finally {
      fs.rmSync(server.dir, { recursive: true, force: true });
    }
  }
});

async function runCli() {
  const server = await startPostgres();
  console.log(server.url);
  // Signal listeners alone do not keep Node running.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const shutdown = async () => {
    clearInterval(keepAlive);
    await server.stop();
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runCli();
}
