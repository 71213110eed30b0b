#include "server/http_error.h"

namespace yuqing::server {

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalid: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kPermission: return 403;
    case Code::kNotFound: return 404;
    case Code::kConflict: return 409;
    case Code::kTooLarge: return 413;
    case Code::kUnavailable: return 503;
    case Code::kIo:
    case Code::kInternal: return 500;
  }
  return 500;
}

HttpError FromStatus(const Status& st) {
  HttpError e;
  e.status = HttpStatusFor(st.code());
  e.code = CodeName(st.code());
  if (st.code() == Code::kPermission && st.message() == kPasswordChangeRequired) e.code = "password_change_required";
  // Internal details (SQL, file paths) stay in the log; people get a generic message.
  e.message = e.status == 500 ? "internal error (see the server log)" : st.message();
  return e;
}

HttpError TooManyRequests(std::string message, int retry_after_s) {
  return {429, "rate_limited", std::move(message), retry_after_s};
}

nlohmann::json ErrorBody(const HttpError& e) {
  return {{"error", {{"code", e.code}, {"message", e.message}}}};
}

std::string CodeForHttpStatus(int status) {
  switch (status) {
    case 400: return CodeName(Code::kInvalid);
    case 401: return CodeName(Code::kUnauthenticated);
    case 403: return CodeName(Code::kPermission);
    case 404: return CodeName(Code::kNotFound);
    case 405: return "method_not_allowed";
    case 409: return CodeName(Code::kConflict);
    case 413: return CodeName(Code::kTooLarge);
    case 414: return CodeName(Code::kTooLarge);
    case 429: return "rate_limited";
    case 503: return CodeName(Code::kUnavailable);
    default: return status >= 500 ? CodeName(Code::kInternal) : CodeName(Code::kInvalid);
  }
}

}  // namespace yuqing::server
