// When the client's ticker wakes: never on a silence deadline already past (that spun a
// core per hung agent while its sink was busy).
#include <gtest/gtest.h>

#include "agent/sync/sync_session.h"

namespace overcast::agent {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

TEST(TickerWakeTest, WakesAtTheEarliestOfPollHeartbeatAndAFutureDeadline) {
  const auto now = Clock::now();
  EXPECT_EQ(next_ticker_wake(now, now + milliseconds(50), now + milliseconds(200), true, now + milliseconds(100)),
            now + milliseconds(50));
  EXPECT_EQ(next_ticker_wake(now, now + milliseconds(500), now + milliseconds(200), true, now + milliseconds(100)),
            now + milliseconds(100));
  EXPECT_EQ(next_ticker_wake(now, now + milliseconds(500), now + milliseconds(200), false, now + milliseconds(100)),
            now + milliseconds(200))
      << "no heartbeats before the Welcome";
}

TEST(TickerWakeTest, APastDeadlineDoesNotMakeItWakeAtOnce) {
  const auto now = Clock::now();
  const auto wake = next_ticker_wake(now, now - milliseconds(10), now + milliseconds(200), true, now + milliseconds(300));
  EXPECT_EQ(wake, now + milliseconds(200));
  EXPECT_GT(wake, now);
}

}  // namespace
}  // namespace overcast::agent
