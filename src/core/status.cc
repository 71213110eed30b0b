#include "core/status.h"

namespace yuqing {

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalid: return "invalid";
    case Code::kNotFound: return "not_found";
    case Code::kConflict: return "conflict";
    case Code::kPermission: return "permission_denied";
    case Code::kUnauthenticated: return "unauthenticated";
    case Code::kTooLarge: return "too_large";
    case Code::kUnavailable: return "unavailable";
    case Code::kIo: return "io_error";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(CodeName(code_)) + ": " + message_;
}

}  // namespace yuqing
