// The load generator for many addresses (bench/load.ts `paths`), in a process of its own: autocannon's API, each
// request the next path of the list in turn. Reads its options as JSON from argv[2]; prints autocannon's result.
import autocannon from "autocannon";

const { url, paths, connections, duration, headers } = JSON.parse(process.argv[2]);
let next = 0;
const result = await autocannon({
  url,
  connections,
  duration,
  headers: headers ?? {},
  requests: [
    {
      setupRequest(req) {
        req.path = paths[next++ % paths.length];
        return req;
      },
    },
  ],
});
process.stdout.write(JSON.stringify(result));
