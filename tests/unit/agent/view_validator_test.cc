#include "agent/view/view_validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "view_test_util.h"

namespace overcast::agent {
namespace {

using namespace viewtest;  // NOLINT: the builders
using ::testing::HasSubstr;

std::string reason_of(const sb::ViewEntry& e) { return validate_entry(e).value_or(""); }

TEST(ViewValidatorTest, AcceptsWellFormedEntries) {
  EXPECT_EQ(validate_entry(network("n1", 100, {"192.0.2.2"})), std::nullopt);
  EXPECT_EQ(validate_entry(local_port("p1-abcdefghijklmn", "n1", 100, "fa:16:3e:00:00:01", {"10.0.0.5", "2001:db8::5"})),
            std::nullopt);
  EXPECT_EQ(validate_entry(remote_port("r1", "n1", 100, "fa:16:3e:00:00:02", "192.0.2.2", {"10.0.0.6"})), std::nullopt);
}

TEST(ViewValidatorTest, TapNameIsTapPlusFirstElevenCharacters) {
  EXPECT_EQ(tap_name_for("0123456789abcdef"), "tap0123456789a");
  EXPECT_EQ(tap_name_for("short"), "tapshort");
}

TEST(ViewValidatorTest, RejectsBadMacNamingEntryAndField) {
  auto e = local_port("p1", "n1", 100, "zz:16:3e:00:00:01");
  auto why = reason_of(e);
  EXPECT_THAT(why, HasSubstr("lport/p1"));
  EXPECT_THAT(why, HasSubstr("mac"));
  EXPECT_THAT(reason_of(remote_port("r1", "n1", 100, "01:00:5e:00:00:01", "192.0.2.2")), HasSubstr("unicast"));
  EXPECT_THAT(reason_of(remote_port("r1", "n1", 100, "00:00:00:00:00:00", "192.0.2.2")), HasSubstr("mac"));
}

TEST(ViewValidatorTest, RejectsVniOutOfRange) {
  EXPECT_THAT(reason_of(network("n1", 0)), HasSubstr("vni 0"));
  EXPECT_THAT(reason_of(network("n1", 16777216)), HasSubstr("vni 16777216"));
  EXPECT_EQ(validate_entry(network("n1", 16777215)), std::nullopt);
  EXPECT_THAT(reason_of(local_port("p1", "n1", 0, "fa:16:3e:00:00:01")), HasSubstr("lport/p1: vni"));
}

TEST(ViewValidatorTest, RejectsBadAddresses) {
  EXPECT_THAT(reason_of(local_port("p1", "n1", 1, "fa:16:3e:00:00:01", {"10.0.0.5", "10.0.0.300"})),
              HasSubstr("ips[1] '10.0.0.300'"));
  EXPECT_THAT(reason_of(remote_port("r1", "n1", 1, "fa:16:3e:00:00:01", "2001:db8::1")), HasSubstr("vtep_ip"));
  EXPECT_THAT(reason_of(remote_port("r1", "n1", 1, "fa:16:3e:00:00:01", "")), HasSubstr("vtep_ip"));
  EXPECT_THAT(reason_of(network("n1", 5, {"192.0.2.1", "nonsense"})), HasSubstr("net/n1: flood_vteps[1]"));
}

TEST(ViewValidatorTest, RejectsWrongTapName) {
  auto e = local_port("0123456789abcdef", "n1", 1, "fa:16:3e:00:00:01");
  e.mutable_local_port()->set_tap_name("tap0123456789ab");
  EXPECT_THAT(reason_of(e), HasSubstr("tap_name"));
}

TEST(ViewValidatorTest, RejectsKeyThatDoesNotMatchBody) {
  auto e = network("n1", 5);
  e.set_key("net/n2");
  EXPECT_THAT(reason_of(e), HasSubstr("net/n2: key"));
  auto p = local_port("p1", "n1", 5, "fa:16:3e:00:00:01");
  p.set_key("rport/p1");
  EXPECT_THAT(reason_of(p), HasSubstr("key"));
  sb::ViewEntry empty;
  empty.set_key("net/x");
  EXPECT_THAT(reason_of(empty), HasSubstr("no body"));
}

TEST(ViewValidatorTest, RejectsUnsupportedEncapsulationAndMtu) {
  auto e = network("n1", 5);
  e.mutable_network()->set_encapsulation("geneve");
  EXPECT_THAT(reason_of(e), HasSubstr("encapsulation"));
  EXPECT_THAT(reason_of(network("n1", 5, {}, 20)), HasSubstr("mtu 20"));
  EXPECT_EQ(validate_entry(network("n1", 5, {}, 0)), std::nullopt);  // unset: default
}

TEST(ViewValidatorTest, RejectsIdsThatCannotNameADevice) {
  EXPECT_THAT(reason_of(local_port("p 1", "n1", 5, "fa:16:3e:00:00:01")), HasSubstr("port_id"));
  EXPECT_THAT(reason_of(local_port("p/1", "n1", 5, "fa:16:3e:00:00:01")), HasSubstr("port_id"));
  EXPECT_THAT(reason_of(local_port("p1", "", 5, "fa:16:3e:00:00:01")), HasSubstr("network_id is empty"));
}

TEST(ViewValidatorTest, WholeViewRejectsSharedTapSharedVniAndVniMismatch) {
  ViewMap view;
  auto add = [&](sb::ViewEntry e) { view[e.key()] = e; };
  add(network("n1", 5));
  add(local_port("abcdefghijk-1", "n1", 5, "fa:16:3e:00:00:01"));
  EXPECT_EQ(validate_view(view), std::nullopt);

  ViewMap shared_tap = view;
  auto dup = local_port("abcdefghijk-2", "n1", 5, "fa:16:3e:00:00:02");
  shared_tap[dup.key()] = dup;
  EXPECT_THAT(validate_view(shared_tap).value_or(""), HasSubstr("tap_name 'tapabcdefghijk'"));

  ViewMap shared_vni = view;
  auto n2 = network("n2", 5);
  shared_vni[n2.key()] = n2;
  EXPECT_THAT(validate_view(shared_vni).value_or(""), HasSubstr("net/n2: vni 5 is also used by net/n1"));

  ViewMap mismatch = view;
  auto r = remote_port("r1", "n1", 6, "fa:16:3e:00:00:03", "192.0.2.9");
  mismatch[r.key()] = r;
  EXPECT_THAT(validate_view(mismatch).value_or(""), HasSubstr("rport/r1: vni 6 differs"));
}

// Tenant isolation: a port of a network absent from the view may not claim the VNI of a
// network that is present (it would join that tenant's segment, and a remote one could
// redirect its traffic).
TEST(ViewValidatorTest, PortMayNotClaimAnotherNetworksVni) {
  ViewMap view;
  auto add = [&](sb::ViewEntry e) { view[e.key()] = e; };
  add(network("a", 100));
  add(local_port("aaaaaaaaaaa-1", "a", 100, "fa:16:3e:00:00:01", {"10.0.0.1"}));
  ASSERT_EQ(validate_view(view), std::nullopt);

  ViewMap intruder = view;
  auto b1 = local_port("bbbbbbbbbbb-1", "b", 100, "fa:16:3e:00:00:02");
  intruder[b1.key()] = b1;
  EXPECT_THAT(validate_view(intruder).value_or(""), HasSubstr("vni 100 belongs to net/a"));

  ViewMap redirect = view;
  auto x1 = remote_port("x1", "c", 100, "fa:16:3e:00:00:03", "192.0.2.99");
  redirect[x1.key()] = x1;
  EXPECT_THAT(validate_view(redirect).value_or(""), HasSubstr("vni 100 belongs to net/a"));

  // A port of a network not in the view, on a VNI nobody holds, is harmless (no segment).
  ViewMap orphan = view;
  auto o1 = remote_port("o1", "d", 200, "fa:16:3e:00:00:04", "192.0.2.98");
  orphan[o1.key()] = o1;
  EXPECT_EQ(validate_view(orphan), std::nullopt);
}

TEST(ViewValidatorTest, RemovalKeysMustNameAKnownKind) {
  EXPECT_EQ(validate_removal_key("lport/p1"), std::nullopt);
  EXPECT_NE(validate_removal_key("lport/"), std::nullopt);
  EXPECT_EQ(validate_removal_key("router/r1"), std::nullopt);  // routers are a known kind now
  EXPECT_NE(validate_removal_key("router/"), std::nullopt);
  EXPECT_NE(validate_removal_key("bogus/r1"), std::nullopt);
  EXPECT_NE(validate_removal_key(""), std::nullopt);
}

}  // namespace
}  // namespace overcast::agent
