#include "cli/context.h"

#include <cstdio>
#include <iostream>

#include "cli/cli_text.h"
#include "drill/sandbox.h"

namespace yuqing::cli {

app::Services* Context::services() {
  if (!services_) {
    auto s = app::Services::Open(data_dir);
    if (!s.ok()) {
      Fail(s.status());
      exit_code = 3;
      return nullptr;
    }
    services_ = std::move(s).value();
    if (workers > 0) services_->set_workers(workers);
    // A drill sandbox runs on the drill's clock (drill/sandbox.h): what the team does is stamped
    // in the same time as the replayed crisis.
    if (drill::IsSandbox(data_dir)) {
      auto st = drill::ReadState(data_dir);
      if (!st.ok()) {
        Fail(st.status());
        services_.reset();
        return nullptr;
      }
      services_->set_clock(std::make_shared<drill::DrillClock>(*st));
    }
  }
  return services_.get();
}

int ExitCodeFor(const Status& st) {
  switch (st.code()) {
    case Code::kOk: return 0;
    case Code::kInvalid:
    case Code::kNotFound:
    case Code::kTooLarge:
    case Code::kConflict:
    case Code::kPermission:
    case Code::kUnauthenticated: return 2;
    default: return 3;
  }
}

void Context::Fail(const Status& st) {
  std::cerr << (zh() ? "错误: " + LocalizeMessage(st.message()) : "error: " + st.message()) << std::endl;
  exit_code = ExitCodeFor(st);
}

void PrintJson(const nlohmann::json& j) {
  std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

}  // namespace yuqing::cli
