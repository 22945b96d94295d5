// TapPort: a VM port over a Linux TAP device (IFF_TAP | IFF_NO_PI, non-blocking).
//
// With offloads (the default), the TAP is opened with IFF_VNET_HDR and TUNSETOFFLOAD
// (checksum, TSO4, TSO6): the VM's stack hands over TCP super-frames of up to 64 KB
// with partial checksums in one read, each behind a virtio-net header that becomes
// Packet::meta.offload; writes carry meta.offload back the same way, so a merged
// (GRO) frame reaches the VM in one write. A header that does not fit its frame is a
// counted rx error.
//
// The agent holds the file side (/dev/net/tun); the netdev side is the VM's
// interface and usually lives in another network namespace. The fd keeps working
// after the netdev moves, because it is bound to the device, not to its name.
//
// Errors on the fast path are counted (rx_errors / tx_errors), never thrown.
// Device lifecycle helpers (persist, MAC, MTU) return false with `error` set.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/mac_address.h"
#include "dataplane/offload/tcp_segmenter.h"
#include "dataplane/ports/port_io.h"

namespace overcast::dataplane {

class TapPort final : public PortIo {
 public:
  enum class OpenMode {
    kAttachOrCreate,  // TUNSETIFF as the kernel does it: attach if the name exists, else create
    kCreateOnly,      // IFF_TUN_EXCL: fail with EBUSY rather than attach to an existing device
  };

  // Opens /dev/net/tun and binds it to the TAP `name`. The name is looked up in the
  // network namespace of the calling thread (the kernel binds the tun file to the
  // namespace of whoever opened it), so a caller that wants a device living in
  // another namespace must call this from a thread setns'ed into it.
  // nullptr with `error` set on failure.
  static std::unique_ptr<TapPort> open(const std::string& name, OpenMode mode, std::string& error,
                                       bool offloads = true);

  // Takes ownership of `fd`, an already attached, non-blocking tun file, opened with
  // IFF_VNET_HDR when `vnet_header`.
  TapPort(int fd, std::string name, bool vnet_header = false);
  ~TapPort() override;
  TapPort(const TapPort&) = delete;
  TapPort& operator=(const TapPort&) = delete;

  const std::string& name() const override { return name_; }
  int poll_fd() const override { return fd_; }
  size_t rx_burst(PacketPool& pool, Batch& out) override;
  void tx_burst(PacketPool& pool, Batch& batch) override;

  // TUNSETPERSIST: a persistent device outlives this fd (the agent may restart);
  // a non-persistent one disappears when the last fd is closed.
  bool set_persistent(bool persistent, std::string& error);
  // Sets the netdev's MAC through the tun fd, so it works wherever the netdev is.
  bool set_mac(const MacAddress& mac, std::string& error);
  // Sets the netdev's MTU through a socket of the calling thread's namespace, so the
  // caller must be in the namespace where the netdev is (at creation: the agent's).
  bool set_mtu(uint32_t mtu, std::string& error);
  // False once the netdev was deleted (e.g. `ip link del`): the kernel detaches
  // the fd, which then only fails. The agent checks this to reopen the port.
  bool attached() const;

  // Shortest frame accepted from the VM: an Ethernet header.
  static constexpr uint32_t kMinFrame = 14;

 private:
  // Writes a GSO or partially checksummed frame to a TAP without vnet header.
  bool write_in_software(Packet& p);

  int fd_;
  std::string name_;
  bool vnet_header_;
  std::unique_ptr<TcpSegmenter> segmenter_;  // made on first need: 13 KB of scratch
};

}  // namespace overcast::dataplane
