/** The bindings of the peers bench Worker (`bench/peers/wrangler.jsonc`). */
import type { ActorsAlarmsDO, AgentsScheduleDO, OursAlarmsDO, PeerAlarmsBenchDO } from "./alarms";
import type { PeerCloneBenchDO } from "./clone";

export interface PeersEnv {
  PEER_CLONE_BENCH: DurableObjectNamespace<PeerCloneBenchDO>;
  PEER_ALARMS_BENCH: DurableObjectNamespace<PeerAlarmsBenchDO>;
  OURS_ALARMS: DurableObjectNamespace<OursAlarmsDO>;
  ACTORS_ALARMS: DurableObjectNamespace<ActorsAlarmsDO>;
  AGENTS_SCHEDULE: DurableObjectNamespace<AgentsScheduleDO>;
}
