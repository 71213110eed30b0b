#include "server/http_error.h"

#include <gtest/gtest.h>

namespace yuqing::server {
namespace {

TEST(HttpErrorTest, MapsEveryCode) {
  EXPECT_EQ(HttpStatusFor(Code::kInvalid), 400);
  EXPECT_EQ(HttpStatusFor(Code::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(Code::kPermission), 403);
  EXPECT_EQ(HttpStatusFor(Code::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(Code::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(Code::kTooLarge), 413);
  EXPECT_EQ(HttpStatusFor(Code::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(Code::kIo), 500);
  EXPECT_EQ(HttpStatusFor(Code::kInternal), 500);
}

TEST(HttpErrorTest, BodyShapeAndHiddenInternals) {
  auto e = FromStatus(Status::Invalid("bad q"));
  EXPECT_EQ(ErrorBody(e).dump(), R"({"error":{"code":"invalid","message":"bad q"}})");
  auto io = FromStatus(Status::Io("disk /secret/path failed"));
  EXPECT_EQ(io.status, 500);
  EXPECT_EQ(io.message.find("/secret"), std::string::npos);
  auto rl = TooManyRequests("slow down", 900);
  EXPECT_EQ(rl.status, 429);
  EXPECT_EQ(rl.code, "rate_limited");
  EXPECT_EQ(CodeForHttpStatus(404), "not_found");
  EXPECT_EQ(CodeForHttpStatus(413), "too_large");
}

}  // namespace
}  // namespace yuqing::server
