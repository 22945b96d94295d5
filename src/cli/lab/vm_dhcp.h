// DHCP inside a lab VM, as a guest would do it: busybox's udhcpc (Debian package
// `udhcpc`) runs in the VM's namespace for as long as the VM lives, asks the agent's
// DHCP responder for a lease, renews it, and applies it through a hook of ours that only
// runs `ip`: address and mask, MTU (option 26, which udhcpc itself does not apply), the
// default route and classless static routes (option 121). Nothing under /etc is written:
// a namespace shares the machine's /etc (udhcpc's own default script would rewrite
// /etc/resolv.conf), so DNS servers are only logged.
//
// The client is a lab daemon like the agents (dhcp-<vm>.pid/.log in the state dir), so
// `lab down` stops it by PID.
#pragma once

#include <string>

#include "cli/lab/command_runner.h"
#include "cli/lab/lab_options.h"
#include "cli/lab/lab_plan.h"
#include "cli/lab/lab_state.h"

namespace overcast::cli::lab {

inline constexpr int kDhcpLeaseTimeoutMs = 20000;
inline constexpr const char* kDhcpClient = "udhcpc";

// The hook's text (a /bin/sh script), and where `lab vm` writes it.
std::string dhcp_hook_script();
std::string dhcp_hook_path(const LabOptions& options);  // <state-dir>/udhcpc-hook.sh
std::string dhcp_daemon_name(const std::string& vm);    // "dhcp-<vm>"

// udhcpc's command line for `vm`: foreground (the lab daemonizes it), its hook, quick
// retries, and options 26 and 121 asked for on top of its defaults (mask, router, DNS...).
Argv dhcp_client_argv(const LabOptions& options, const VmRecord& vm);

// (Re)starts the VM's DHCP client and waits until the lease is applied: the interface
// holds the port's fixed IP. Throws LabError with the client's log when it is not.
void start_vm_dhcp_client(const LabOptions& options, const LabNames& names, const VmRecord& vm);
// Stops the VM's DHCP client if one runs (a VM re-attached with --static).
void stop_vm_dhcp_client(const LabOptions& options, const VmRecord& vm);

}  // namespace overcast::cli::lab
