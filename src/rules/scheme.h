// A monitoring scheme (监测方案): what one organisation watches, as stored and as compiled.
// Plain data, header-only so that the store can persist it without linking the matcher.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace yuqing::rules {

struct Scheme {
  int64_t id = 0;                        // assigned by the store; > 0 once stored
  std::string name;                      // unique, shown to users
  std::string query;                     // the query language (docs/query-language.md)
  std::vector<std::string> exclude;      // each entry a query; any match vetoes the scheme
  std::vector<std::string> departments;  // owning departments (直报 targets)
  std::vector<std::string> regions;      // regions the scheme concerns (metadata, not a filter)
  int priority = 0;                      // higher first when alerts compete
  std::string policy;                    // warning policy as JSON or YAML text, opaque here
  bool enabled = true;                   // disabled schemes are stored but never compiled
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

}  // namespace yuqing::rules
