#include "cli/stream_replay.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "app/listeners.h"

namespace yuqing::cli {

void SortForReplay(std::vector<ingest::Item>& inputs) {
  std::stable_sort(inputs.begin(), inputs.end(), [](const ingest::Item& a, const ingest::Item& b) {
    if (a.ok != b.ok) return !a.ok;  // quarantine first: they carry no time
    return a.ok && a.post.published_at < b.post.published_at;
  });
}

Result<StreamReplayResult> ReplayStream(app::Services& s, std::vector<ingest::Item>& inputs,
                                        std::shared_ptr<ManualClock> clock, const StreamReplayOptions& o,
                                        Progress* progress) {
  s.set_clock(clock);
  YQ_ASSIGN_OR_RETURN(auto pipeline, app::Pipeline::Create(s));

  // Deadlines on the stream clock, with notices through the outbox like `serve` (delivered by
  // `notify run` or a running server's dispatcher).
  incident::StreamSweeper deadlines([&s] { return s.OpenDatabase(); }, *clock, app::ResponseOptionsFor(s));

  StreamReplayResult r;
  auto wall_start = std::chrono::steady_clock::now();
  TimeMs pace_from = o.origin;
  std::vector<ingest::Item> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    YQ_ASSIGN_OR_RETURN(auto res, pipeline->Process(batch));
    batch.clear();
    deadlines.Refresh();
    return pipeline->Tick(clock->Now());
  };
  for (size_t i = 0; i < inputs.size(); ++i) {
    ingest::Item& in = inputs[i];
    if (in.ok) {
      TimeMs t = in.post.published_at;
      if (r.stream_start == 0) {
        r.stream_start = t;
        if (pace_from == 0) pace_from = t;
        clock->Advance(std::min(t, pace_from));  // deadlines already past are swept at the start, not before it
      }
      if (o.speed > 0) {
        auto due = wall_start + std::chrono::milliseconds(static_cast<int64_t>((t - pace_from) / o.speed));
        if (std::chrono::steady_clock::now() < due) {
          YQ_RETURN_IF_ERROR(flush());
          std::this_thread::sleep_until(due);  // pacing the replay is the point of --speed
        }
      }
      // Deadlines the stream passes before this post are swept at their own time, after the
      // posts before them are stored.
      YQ_RETURN_IF_ERROR(deadlines.RunUntil(t, flush));
      // Likewise the warning engine's: quiet alerts resolve, reminders and escalations go out at
      // the stream minute they are due, not at the next batch (a gap in the stream used to
      // resolve alerts "quiet for 54026211s").
      for (TimeMs due = pipeline->NextWarningDue(), prev = 0; due > 0 && due <= t && due > prev;
           prev = due, due = pipeline->NextWarningDue()) {
        YQ_RETURN_IF_ERROR(flush());
        clock->Advance(due);
        YQ_RETURN_IF_ERROR(pipeline->Tick(due));
      }
      // The stream's clock: ingested_at is when the stream says the post arrived.
      clock->Advance(t);
      in.post.ingested_at = t;
    }
    batch.push_back(std::move(in));
    if (batch.size() >= o.batch) YQ_RETURN_IF_ERROR(flush());
    if (progress) progress->Update(static_cast<int64_t>(i + 1));
  }
  YQ_RETURN_IF_ERROR(flush());
  if (progress) progress->Finish();
  r.counts = pipeline->counts();
  r.stream_end = clock->Now();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  r.deadlines = deadlines.totals();
  return r;
}

}  // namespace yuqing::cli
