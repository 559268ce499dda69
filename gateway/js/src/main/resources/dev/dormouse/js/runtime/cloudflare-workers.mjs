// The module "cloudflare:workers" as Dormouse serves it: the classes the runtime made for this
// context (runtime.js), under the names a Worker imports.
const workers = globalThis[Symbol.for("dormouse.workers")];

export const DurableObject = workers.DurableObject;
export const WorkerEntrypoint = workers.WorkerEntrypoint;
export const env = workers.env;
