// Drill scenarios (演练场景) as data: the posts of a crisis with their times relative to the drill's
// start, the monitoring schemes, departments and plans to install in the sandbox, the injects the
// team must answer (a journalist's call, a rumour) and what the drill is scored against. Written
// by users in YAML or JSON; the format is documented in docs/drills.md.
//
// Reading is pure: files named by the scenario (posts_file) are resolved against its directory
// but not opened here (drill/stream.h reads them when the drill runs).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "incident/plan.h"
#include "rules/scheme.h"

namespace yuqing::drill {

// One post of the scenario: a post object in the ingest format (docs/ingest.md) without
// published_at, and its time after the drill's start.
struct ScenarioPost {
  TimeMs at = 0;
  nlohmann::json post;  // source, text, author, region, parent, metrics, id ...
  int line = 0;         // 1-based line in the scenario file (0: generated)
};

// Many similar posts spread over [from, to): `count` posts whose texts cycle through `texts`,
// evenly spaced, or ever denser towards `to` when shape is "grow" (a crisis that spreads).
struct Burst {
  TimeMs from = 0, to = 0;
  int count = 0;
  std::string shape = "even";  // even | grow
  std::vector<std::string> texts;
  std::vector<std::string> sources;  // cycled; default weibo
  std::string region;
  int line = 0;
};

// Posts from another file (any ingest format: JSON Lines, CSV ...), moved in time so that the
// file's first post falls at `at` after the drill's start; gaps between posts are kept.
struct PostsFile {
  std::string path;   // resolved against the scenario's directory
  TimeMs at = 0;
  std::string hint;   // how to make the file when it is missing (shown in the error)
  int line = 0;
};

// Something the team must answer, at a time: posted into the stream when it has a post, and
// expected to be answered by an action within `within`.
struct Inject {
  std::string key;    // unique in the scenario
  TimeMs at = 0;
  std::string title;  // what happens: "记者来电询问伤亡人数"
  std::optional<nlohmann::json> post;
  // The answer expected: media | public | internal (a communication record of that kind),
  // statement (a published statement), clarification (a rumour clarification), incident (an
  // incident opened).
  std::string expect;
  TimeMs within = kHour;
  int line = 0;
};

struct Scenario {
  std::string name;  // short id: letters, digits, - and _
  std::string title;
  std::string description;
  std::vector<std::string> departments;  // created in the sandbox; the first owns the crisis
  std::vector<rules::Scheme> schemes;
  std::vector<incident::Plan> plans;     // installed (replacing a shipped plan with the same id)
  // What the response is measured against.
  std::string plan;           // the plan the incident should follow ("" = whichever the team opens)
  std::string incident_type;  // expected type and level ("" = not scored)
  std::string incident_level;
  TimeMs open_within = kHour;  // an incident opened within this of the first alert
  std::vector<ScenarioPost> posts;
  std::vector<Burst> bursts;
  std::vector<PostsFile> posts_files;
  std::vector<Inject> injects;
};

// Parses a scenario (YAML or JSON). `dir` is the scenario file's directory, for relative paths.
// Errors are kInvalid and name the line and the field, in Chinese when `zh`:
//   "第 12 行: posts[3].at: 时间应为 +30m、+1h30m 这样的相对时间，而不是 'soon'".
Result<Scenario> ParseScenario(std::string_view text, const std::string& dir, bool zh = true);

// Reads and parses a scenario file; NotFound (with the path) when it cannot be read.
Result<Scenario> ReadScenario(const std::string& path, bool zh = true);

// "+30m", "1h30m", "90s", "+2d" → milliseconds; kInvalid otherwise.
Result<TimeMs> ParseOffset(std::string_view text);
// 30 min → "+30m", 90 min → "+1h30m".
std::string FormatOffset(TimeMs t);

// Every post of the scenario's `posts` and `bursts` (not posts files) and every inject's post, in
// time order, as post objects with an "at" offset; burst posts get stable ids
// "<name>-b<burst>-<n>" and authors "网友<n>".
std::vector<ScenarioPost> InlinePosts(const Scenario& s);

// The scenario as a document ParseScenario reads back (drill record writes this).
std::string ScenarioToYaml(const Scenario& s);

}  // namespace yuqing::drill
