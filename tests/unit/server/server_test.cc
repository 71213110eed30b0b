// The server in-process on a temporary data directory and a free port: routes answer as the
// table says, errors are JSON, and the OpenAPI document lists exactly the documented routes.
#include "server/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <nlohmann/json.hpp>

#include "server/routes.h"

namespace yuqing::server {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() / ("yq-server-" + std::to_string(::getpid())));
    std::filesystem::remove_all(*dir_);
    auto s = app::Services::Open(dir_->string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    services_ = std::move(s).value().release();
    ServerOptions o;
    o.port = 0;
    o.threads = 8;
    auto srv = Server::Create(*services_, o);
    ASSERT_TRUE(srv.ok()) << srv.status().ToString();
    server_ = std::move(srv).value().release();
    auto pw = server_->EnsureAdmin();
    ASSERT_TRUE(pw.ok());
    password_ = new std::string(*pw);
    ASSERT_TRUE(server_->Start().ok());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete services_;
    delete password_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  httplib::Client Client() { return httplib::Client("127.0.0.1", server_->port()); }

  static std::filesystem::path* dir_;
  static app::Services* services_;
  static Server* server_;
  static std::string* password_;
};
std::filesystem::path* ServerTest::dir_ = nullptr;
app::Services* ServerTest::services_ = nullptr;
Server* ServerTest::server_ = nullptr;
std::string* ServerTest::password_ = nullptr;

TEST_F(ServerTest, FirstStartCreatesAdminOnce) {
  EXPECT_EQ(password_->size(), 20u);
  auto again = server_->EnsureAdmin();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, "");
}

TEST_F(ServerTest, HealthIsPublicAndApiIsNot) {
  auto c = Client();
  auto h = c.Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  auto p = c.Get("/api/v1/posts");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, 401);
  auto j = nlohmann::json::parse(p->body);
  EXPECT_EQ(j["error"]["code"], "unauthenticated");
  EXPECT_EQ(p->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST_F(ServerTest, LoginThenCsrfGuardsChanges) {
  auto c = Client();
  nlohmann::json body = {{"username", "admin"}, {"password", *password_}};
  auto r = c.Post("/api/v1/auth/login", body.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  std::string csrf = nlohmann::json::parse(r->body)["csrf_token"];
  httplib::Headers h = {{"Cookie", cookie.substr(0, cookie.find(';'))}};
  auto no = c.Post("/api/v1/schemes/validate", h, R"({"query":"a"})", "application/json");
  ASSERT_TRUE(no);
  EXPECT_EQ(no->status, 403);
  h.emplace("X-CSRF-Token", csrf);
  // The one-time admin password must be changed before anything else is allowed.
  auto blocked = c.Post("/api/v1/schemes/validate", h, R"({"query":"(a"})", "application/json");
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->status, 403);
  nlohmann::json change = {{"current", *password_}, {"new", "a-longer-password-1"}};
  auto changed = c.Post("/api/v1/auth/password", h, change.dump(), "application/json");
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->status, 200) << changed->body;
  auto yes = c.Post("/api/v1/schemes/validate", h, R"({"query":"(a"})", "application/json");
  ASSERT_TRUE(yes);
  EXPECT_EQ(yes->status, 200);
  auto v = nlohmann::json::parse(yes->body);
  EXPECT_FALSE(v["ok"].get<bool>());
  EXPECT_GT(v["error"]["column"].get<int>(), 0);
}

TEST_F(ServerTest, WrongPasswordIs401) {
  auto c = Client();
  auto r = c.Post("/api/v1/auth/login", R"({"username":"admin","password":"nope-nope"})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  auto bad = c.Post("/api/v1/auth/login", "not json", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(ServerTest, OpenApiListsEveryDocumentedRoute) {
  auto c = Client();
  auto r = c.Get("/api/v1/openapi.json");
  ASSERT_TRUE(r);
  auto spec = nlohmann::json::parse(r->body);
  size_t documented = 0;
  for (const Route& route : Routes()) {
    if (!route.documented) continue;
    ++documented;
    std::string m = route.method;
    std::transform(m.begin(), m.end(), m.begin(), ::tolower);
    EXPECT_TRUE(spec["paths"].contains(route.path) && spec["paths"][route.path].contains(m)) << route.path;
  }
  size_t ops = 0;
  for (auto& [path, item] : spec["paths"].items()) ops += item.size();
  EXPECT_EQ(ops, documented);
}

TEST_F(ServerTest, UnknownRouteAndOversizeAreJson) {
  auto c = Client();
  auto r = c.Get("/api/v1/nothing");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(nlohmann::json::parse(r->body)["error"]["code"], "not_found");
  std::string big(9 * 1024 * 1024, 'x');
  auto b = c.Post("/api/v1/posts", big, "application/json");
  if (b) {  // the server may close before the client has sent everything
    EXPECT_EQ(b->status, 413);
  }
}

TEST_F(ServerTest, SecondServerOnTheSamePortIsRefused) {
  // cpp-httplib's default SO_REUSEPORT would let it bind and take half the connections.
  ServerOptions o;
  o.port = server_->port();
  o.threads = 2;
  auto second = Server::Create(*services_, o);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  Status st = (*second)->Start();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find(std::to_string(server_->port())), std::string::npos) << st.ToString();
  auto res = Client().Get("/healthz");  // the first one still answers
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(ServerTest, ListenBacklogIsRaised) {
  // For a listening socket `ss` reports the backlog as Send-Q; Debian's cpp-httplib uses 5.
  std::string cmd = "ss -ltnH 'sport = :" + std::to_string(server_->port()) + "' 2>/dev/null";
  FILE* f = popen(cmd.c_str(), "r");
  ASSERT_NE(f, nullptr);
  char buf[512] = {};
  std::string out;
  while (fgets(buf, sizeof buf, f)) out += buf;
  int rc = pclose(f);
  if (rc != 0 || out.empty()) GTEST_SKIP() << "ss (iproute2) is not available";
  std::istringstream row(out);
  std::string state;
  long recv_q = 0, send_q = 0;
  row >> state >> recv_q >> send_q;
  EXPECT_EQ(state, "LISTEN");
  EXPECT_GE(send_q, 128) << out;
}

}  // namespace
}  // namespace yuqing::server
