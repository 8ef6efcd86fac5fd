/**
 * The peers bench Worker (`bench/peers/wrangler.jsonc`): Lumenize measured
 * side by side with other libraries, which live in this folder's own
 * package so that the main install stays lean (see ../README.md).
 */
import { benchHandler } from "../../worker/http";
import type { PeersEnv } from "./env";

export { ActorsAlarmsDO, AgentsScheduleDO, OursAlarmsDO, PeerAlarmsBenchDO } from "./alarms";
export { PeerCloneBenchDO } from "./clone";

export default benchHandler<PeersEnv>({
  "/fidelity": (env) => env.PEER_CLONE_BENCH.getByName("fidelity").fidelity(),
});
