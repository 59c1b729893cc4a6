// Preloaded (`node --require`) into a measured process: writes its peak RSS and the CPU time it used
// (user + system, all of its threads: the main thread, the garbage collector's and the compiler's) on exit.
import * as fs from "node:fs";

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ peakRss: usage.maxRSS * 1024, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
  });
}
