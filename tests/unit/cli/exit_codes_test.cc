#include "cli/main/exit_codes.h"

#include <gtest/gtest.h>

namespace overcast::cli {
namespace {

ApiResult answer(int status, std::string error = "") {
  ApiResult r;
  r.status = status;
  r.error = std::move(error);
  return r;
}

TEST(ExitCodesTest, MapsApiOutcomes) {
  EXPECT_EQ(exit_code_for(answer(200)), kExitOk);
  EXPECT_EQ(exit_code_for(answer(201)), kExitOk);
  EXPECT_EQ(exit_code_for(answer(204)), kExitOk);
  EXPECT_EQ(exit_code_for(answer(400, "bad")), kExitApiRefused);
  EXPECT_EQ(exit_code_for(answer(404, "not found")), kExitApiRefused);
  EXPECT_EQ(exit_code_for(answer(409, "conflict")), kExitApiRefused);
  EXPECT_EQ(exit_code_for(answer(0, "connection refused")), kExitUnavailable);
  EXPECT_EQ(exit_code_for(answer(500, "boom")), kExitUnavailable);
  EXPECT_EQ(exit_code_for(answer(503, "busy")), kExitUnavailable);
  EXPECT_EQ(exit_code_for(answer(302, "moved")), kExitUnavailable);
  // A success status whose body could not be read is the controller's failure.
  EXPECT_EQ(exit_code_for(answer(200, "not JSON")), kExitUnavailable);
}

TEST(ExitCodesTest, WorstOfPrefersTheMoreSerious) {
  EXPECT_EQ(worst_of(kExitOk, kExitApiRefused), kExitApiRefused);
  EXPECT_EQ(worst_of(kExitApiRefused, kExitOk), kExitApiRefused);
  EXPECT_EQ(worst_of(kExitApiRefused, kExitUnavailable), kExitUnavailable);
  EXPECT_EQ(worst_of(kExitUsage, kExitApiRefused), kExitUsage);
  EXPECT_EQ(worst_of(kExitUnavailable, kExitUsage), kExitUnavailable);
}

}  // namespace
}  // namespace overcast::cli
