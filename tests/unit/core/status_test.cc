#include "core/status.h"

#include <gtest/gtest.h>

namespace yuqing {

Result<int> Half(int x) {
  if (x % 2) return Status::Invalid("odd");
  return x / 2;
}

Status UseHalf(int x, int* out) {
  YQ_ASSIGN_OR_RETURN(*out, Half(x));
  return Status::Ok();
}

TEST(Result, CarriesValueOrStatus) {
  EXPECT_EQ(*Half(4), 2);
  EXPECT_FALSE(Half(3).ok());
  EXPECT_EQ(Half(3).status().message(), "odd");
  int v = 0;
  EXPECT_TRUE(UseHalf(8, &v).ok());
  EXPECT_EQ(v, 4);
  EXPECT_EQ(UseHalf(7, &v).code(), Code::kInvalid);
  EXPECT_EQ(Status::NotFound("x").ToString(), "not_found: x");
}

}  // namespace yuqing
