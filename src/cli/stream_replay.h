// The stream replay shared by `yuqing replay` and `yuqing drill run`: posts fed through the
// pipeline in time order with each post's timestamp as the clock, the warning engine's and the
// incident deadlines' due times run at their own stream time, optionally paced against the wall
// clock.
#pragma once

#include <memory>
#include <vector>

#include "app/pipeline.h"
#include "app/services.h"
#include "cli/progress.h"
#include "core/status.h"
#include "core/time.h"
#include "incident/response.h"

namespace yuqing::cli {

struct StreamReplayOptions {
  double speed = 0;    // 0: as fast as possible; 60: one stream hour per wall minute
  TimeMs origin = 0;   // stream time paced from (0: the first post's)
  size_t batch = 2000; // records per transaction
};

struct StreamReplayResult {
  app::Counts counts;
  TimeMs stream_start = 0;  // the first post's time (0: none)
  TimeMs stream_end = 0;    // the clock at the end
  double seconds = 0;       // wall time taken
  incident::StreamSweeper::Totals deadlines;
};

// Installs `clock` as the services' clock and replays `inputs`, which must be sorted: records for
// the quarantine first, then posts by published_at. `progress` may be null.
Result<StreamReplayResult> ReplayStream(app::Services& s, std::vector<ingest::Item>& inputs,
                                        std::shared_ptr<ManualClock> clock, const StreamReplayOptions& o,
                                        Progress* progress);

// Sorts inputs the way ReplayStream needs them (stable: equal times keep their order).
void SortForReplay(std::vector<ingest::Item>& inputs);

}  // namespace yuqing::cli
