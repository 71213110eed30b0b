// The drill sandbox: a data directory that holds a drill, marked by DATA/drill.json (the
// scenario and the drill's clock). Every command on a sandbox runs on the drill's clock, so that
// the team's actions in the dashboard or the CLI are stamped in drill time, the same time the
// replayed posts and alerts carry.
//
// The drill clock: drill time = start + (wall time - wall_start) × speed while the scenario
// plays; with speed 0 (as fast as possible) the scenario is replayed at once and drill time then
// runs at real speed from the scenario's end.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::drill {

struct DrillState {
  std::string scenario_path;  // as given to `drill run`
  std::string scenario_name;
  std::string title;
  TimeMs start = 0;       // drill time of the scenario's +0
  TimeMs wall_start = 0;  // wall time when the replay began
  double speed = 1;       // 0: as fast as possible
  TimeMs end = 0;         // drill time of the scenario's last post (start + its offset)
  std::string status = "running";  // running | replayed
  TimeMs wall_replayed = 0;        // wall time when the replay finished (speed 0: the clock's anchor)
};

std::string StatePath(const std::string& data_dir);  // DATA/drill.json
bool IsSandbox(const std::string& data_dir);        // drill.json exists

// NotFound when data_dir is no sandbox; Invalid when drill.json does not parse.
Result<DrillState> ReadState(const std::string& data_dir);
// Written to a temporary file and renamed, so that a reader never sees half a file.
Status WriteState(const std::string& data_dir, const DrillState& s);

nlohmann::json StateToJson(const DrillState& s);

// Drill time at wall time `wall` (see above).
TimeMs DrillTime(const DrillState& s, TimeMs wall);

// The drill's clock for commands and the server on a sandbox. Reads nothing after construction:
// a server started before the replay finished keeps the running mapping (the same line).
class DrillClock final : public Clock {
 public:
  explicit DrillClock(DrillState s) : s_(std::move(s)) {}
  TimeMs Now() const override;

 private:
  DrillState s_;
  SystemClock wall_;
};

// Whether `db` may receive a drill: Conflict (with the reason, in Chinese when zh) when it
// already holds posts, alerts or incidents that are not a drill's — a production store.
Status CheckEmptyStore(store::Database& db, bool zh);

}  // namespace yuqing::drill
