// Worker thread of src/core/isolated.ts: loads the named module through tsx, calls the export, posts the result.
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { moduleUrl, exportName, args } = workerData;
const mod = await tsImport(moduleUrl, import.meta.url);
parentPort.postMessage(await mod[exportName](...args));
