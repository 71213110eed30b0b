// GET /api/v1/drill: the drill a sandbox holds (drill/sandbox.h), so that the dashboard can say
// "演练模式" and show the drill's clock; {"drill": null} on any other data directory.
#include "drill/sandbox.h"
#include "server/handlers.h"

namespace yuqing::server {

Result<Reply> GetDrill(Ctx& c) {
  const std::string& dir = c.state.services.data_dir();
  if (!drill::IsSandbox(dir)) return Reply(nlohmann::json{{"drill", nullptr}, {"now", FormatTime(c.now())}});
  YQ_ASSIGN_OR_RETURN(drill::DrillState st, drill::ReadState(dir));
  nlohmann::json j = drill::StateToJson(st);
  j.erase("scenario");  // a path on the server's disk
  // How fast the drill's clock runs now (the dashboard counts "ago" and deadlines with it): the
  // drill's speed, or real time once a full-speed replay is done.
  j["clock_rate"] = st.speed > 0 ? st.speed : 1.0;
  return Reply(nlohmann::json{{"drill", j}, {"now", FormatTime(c.now())}});
}

}  // namespace yuqing::server
