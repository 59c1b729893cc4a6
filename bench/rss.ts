// Preloaded (`node --require`) into a measured process: writes its peak RSS on exit.
import * as fs from "node:fs";

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on("exit", () => {
    fs.writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}
