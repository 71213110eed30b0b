#include "core/json_guard.h"

#include <string>

namespace yuqing {

long JsonDepthViolation(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) return static_cast<long>(i);
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return -1;
}

Result<nlohmann::json> ParseJson(std::string_view text, int max_depth) {
  using nlohmann::json;
  long deep = JsonDepthViolation(text, max_depth);
  if (deep >= 0) {
    return Status::Invalid("nesting deeper than " + std::to_string(max_depth) + " levels at byte " +
                           std::to_string(deep));
  }
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded()) return j;
  // Parse again with exceptions only to get the position and the parser's explanation.
  try {
    json ignored = json::parse(text.begin(), text.end());
    (void)ignored;
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    auto pos = what.find("parse error");
    return Status::Invalid("invalid JSON at byte " + std::to_string(e.byte) + ": " +
                           (pos == std::string::npos ? what : what.substr(pos)));
  } catch (const std::exception& e) {
    return Status::Invalid(std::string("invalid JSON: ") + e.what());
  }
  return Status::Invalid("invalid JSON");
}

}  // namespace yuqing
