// One batch per journal at a time. Two processes resuming the same journal would each see a job
// as not yet created and both create it, so a run holds `<journal>.lock` (created exclusively,
// holding its process id) while it works. A lock whose process is gone (killed, even with -9)
// is taken over: a rerun after a crash just works. Two runs started at the very same moment
// after a crash could both take the stale lock over; running one batch per journal is the rule.
import { open, readFile, rm } from "node:fs/promises";
import { UsageError } from "../exit-codes.js";

/** Takes the lock; resolves with the function that releases it. */
export async function lockJournal(journal: string): Promise<() => Promise<void>> {
  const lock = `${journal}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lock, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number((await readFile(lock, "utf8").catch(() => "")).trim());
    if (Number.isSafeInteger(holder) && holder > 0 && isRunning(holder)) {
      throw new UsageError(
        `the journal ${journal} is in use by process ${holder} (another kling-video batch): wait for it to end, or stop it. If no batch runs, remove ${lock}`,
      );
    }
    await rm(lock, { force: true }); // left by a run that is gone
  }
  throw new UsageError(`cannot lock the journal ${journal}: ${lock} keeps appearing (another batch is starting)`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // it exists, owned by someone else
  }
}
