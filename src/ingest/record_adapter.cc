#include "ingest/record_adapter.h"

namespace yuqing::ingest {

using nlohmann::json;

namespace {

bool Absent(const std::string& s) { return s.empty() || s == "None" || s == "null" || s == "NULL"; }

}  // namespace

std::string FirstString(const json& j, std::initializer_list<const char*> names) {
  if (!j.is_object()) return "";
  for (const char* n : names) {
    auto it = j.find(n);
    if (it == j.end() || it->is_null()) continue;
    std::string s;
    if (it->is_string()) s = it->get<std::string>();
    else if (it->is_number_integer()) s = std::to_string(it->get<int64_t>());
    else if (it->is_number_unsigned()) s = std::to_string(it->get<uint64_t>());
    else if (it->is_number_float()) s = std::to_string(static_cast<int64_t>(it->get<double>()));
    else if (it->is_boolean()) s = it->get<bool>() ? "true" : "false";
    else continue;
    if (!Absent(s)) return s;
  }
  return "";
}

json CountValue(const json& j, std::initializer_list<const char*> names) {
  if (!j.is_object()) return 0;
  for (const char* n : names) {
    auto it = j.find(n);
    if (it == j.end() || it->is_null()) continue;
    if (it->is_number()) return *it;
    if (!it->is_string()) return *it;  // the parser names the field and refuses it
    std::string s = it->get<std::string>();
    if (Absent(s)) continue;
    // Platforms round large counts ("10+", "1万+"); the number before the plus is what is known.
    if (!s.empty() && s.back() == '+') s.pop_back();
    return s;
  }
  return 0;
}

}  // namespace yuqing::ingest
