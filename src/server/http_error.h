// The one place where errors become HTTP: Status codes map to HTTP statuses and every error
// body has the shape {"error": {"code": "invalid", "message": "..."}}.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace yuqing::server {

struct HttpError {
  int status = 500;
  std::string code;     // stable machine-readable code (CodeName of the Status, or rate_limited ...)
  std::string message;  // for people
  int retry_after_s = 0;  // sent as Retry-After when > 0
};

// kInvalid 400, kUnauthenticated 401, kPermission 403, kNotFound 404, kConflict 409,
// kTooLarge 413, kUnavailable 503, kIo/kInternal 500.
int HttpStatusFor(Code code);
// The message of the 403 a user gets until they change a one-time or admin-reset password; its
// error code is "password_change_required" so that clients can show the form.
inline constexpr const char* kPasswordChangeRequired =
    "password change required: change the one-time or reset password first (POST /api/v1/auth/password)";
HttpError FromStatus(const Status& st);
// 429 with Retry-After: login rate limiting.
HttpError TooManyRequests(std::string message, int retry_after_s);
// The error body.
nlohmann::json ErrorBody(const HttpError& e);
// Codes for statuses produced by the HTTP layer itself (404 for unknown routes, 413 for bodies
// the library refused ...).
std::string CodeForHttpStatus(int status);

}  // namespace yuqing::server
