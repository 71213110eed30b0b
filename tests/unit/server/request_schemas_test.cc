#include "server/request_schemas.h"

#include <gtest/gtest.h>

#include <set>

#include "server/routes.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

TEST(RequestSchemasTest, EveryRouteWithABodyHasASchemaAndEverySchemaARoute) {
  std::set<std::pair<std::string, std::string>> routes;
  for (const Route& r : Routes()) {
    routes.insert({r.method, r.path});
    if (r.body) EXPECT_NE(RequestSchemaFor(r.method, r.path), nullptr) << r.method << " " << r.path << " has no schema";
  }
  for (const auto& [method, path] : routes) {
    const json* s = RequestSchemaFor(method, path);
    if (s) EXPECT_TRUE(s->contains("type")) << method << " " << path;
  }
}

TEST(RequestSchemasTest, WrongTypesAreNamed) {
  const json* tokens = RequestSchemaFor("POST", "/api/v1/tokens");
  ASSERT_NE(tokens, nullptr);
  Status st = ValidateBody(*tokens, json{{"name", 1}});
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_EQ(st.message(), "name: must be string (got integer)");
  EXPECT_TRUE(ValidateBody(*tokens, json{{"name", "ci"}}).ok());

  const json* test = RequestSchemaFor("POST", "/api/v1/schemes/test");
  ASSERT_NE(test, nullptr);
  EXPECT_EQ(ValidateBody(*test, json{{"query", 5}}).message(), "query: must be string (got integer)");
  EXPECT_EQ(ValidateBody(*test, json{{"query", "a"}, {"limit", "10"}}).message(), "limit: must be integer (got string)");
  EXPECT_EQ(ValidateBody(*test, json::object()).message(), "query: is required");
  EXPECT_EQ(ValidateBody(*test, json::array()).message(), "body: must be object (got array)");

  const json* comm = RequestSchemaFor("POST", "/api/v1/incidents/{id}/communications");
  ASSERT_NE(comm, nullptr);
  EXPECT_EQ(ValidateBody(*comm, json{{"kind", "media"}, {"content", json::object()}}).message(),
            "content: must be string (got object)");
  EXPECT_EQ(ValidateBody(*comm, json{{"kind", "press"}}).message(), R"(kind: must be one of ["media","public","internal"])");
}

TEST(RequestSchemasTest, NestedFieldsAndLimits) {
  const json* inc = RequestSchemaFor("POST", "/api/v1/incidents");
  ASSERT_NE(inc, nullptr);
  json team = json::array({{{"role", "commander"}, {"person", 7}}});
  EXPECT_EQ(ValidateBody(*inc, json{{"team", team}}).message(), "team[0].person: must be string (got integer)");
  EXPECT_TRUE(ValidateBody(*inc, json{{"alert_id", 3}}).ok());
  EXPECT_TRUE(ValidateBody(*inc, json{{"alert_id", "3"}}).ok());
  const json* login = RequestSchemaFor("POST", "/api/v1/auth/login");
  ASSERT_NE(login, nullptr);
  // maxLength counts characters, not bytes: 200 Chinese characters are 600 bytes and pass.
  std::string name;
  for (int i = 0; i < 200; ++i) name += "名";
  EXPECT_TRUE(ValidateBody(*login, json{{"username", name}, {"password", "x"}}).ok());
  EXPECT_FALSE(ValidateBody(*login, json{{"username", name + "名"}, {"password", "x"}}).ok());
}

}  // namespace
}  // namespace yuqing::server
