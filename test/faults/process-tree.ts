import fs from "node:fs";

/**
 * A process and every descendant, read from /proc (Linux). Pulumi starts its language host and
 * plugins (the dynamic provider) in process groups of their own, so killing the CLI's group alone
 * leaves them running, orphaned: a killed CI runner loses the whole tree.
 */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

function signal(pids: readonly number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

/**
 * SIGKILLs a process and its descendants; returns their pids. The tree is stopped first (SIGSTOP)
 * and read again until it no longer grows, so a process forked meanwhile is killed too, and none
 * is reparented before it is reached.
 */
export function killTree(root: number): number[] {
  let tree = processTree(root);
  for (let round = 0; round < 10; round++) {
    signal(tree, "SIGSTOP");
    const again = processTree(root);
    if (again.every((pid) => tree.includes(pid))) break;
    tree = [...new Set([...tree, ...again])];
  }
  signal(tree, "SIGKILL");
  return tree;
}

/** Those of these processes still running (a zombie waiting for its parent to reap it does not run). */
export function stillRunning(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch {
      return false;
    }
  });
}
