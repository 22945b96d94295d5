#include "cli/lab/lab_commands.h"

#include <iostream>
#include <memory>

#include "cli/lab/command_runner.h"
#include "cli/lab/kernel_ops.h"
#include "cli/lab/lab_error.h"
#include "cli/lab/lab_lifecycle.h"
#include "cli/lab/lab_plan.h"
#include "cli/lab/lab_status.h"
#include "cli/lab/lab_vm.h"
#include "cli/lab/readiness.h"

namespace overcast::cli {
namespace {

using lab::LabError;
using lab::LabOptions;

struct LabArgs {
  LabOptions options;
  bool json = false;
  std::string name;
  std::string port;
  bool static_addressing = false;
  std::vector<std::string> command;
  std::string path = "/status";
};

void add_common_options(CLI::App* sub, LabArgs& args) {
  sub->add_option("--prefix", args.options.prefix,
                  "name prefix of every namespace, link and file of the lab "
                  "(env OVERCAST_LAB_PREFIX, default oc)");
  sub->add_option("--state-dir", args.options.state_dir,
                  "state directory (default /var/lib/overcast/lab/<prefix>)");
}

// Runs one subcommand: options resolved first, a LabError becomes one line on stderr
// and exit status 1 (CLI::RuntimeError carries the code out of CLI11's parse).
void run_guarded(LabArgs& args, const std::function<void(const LabOptions&)>& action) {
  try {
    lab::resolve_lab_options(args.options);
    action(args.options);
  } catch (const LabError& e) {
    std::cerr << "overcast lab: " << e.what() << "\n";
    throw CLI::RuntimeError(1);
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "overcast lab: " << e.what() << "\n";
    throw CLI::RuntimeError(1);
  }
}

std::string exec_namespace(const LabOptions& options, const std::string& name) {
  const lab::LabNames names(options.prefix);
  std::string ns;
  if (name == "fab") {
    ns = names.fabric_ns();
  } else if (name == lab::kExternalHostName) {
    ns = names.external_host_ns();
  } else if (const int index = lab::parse_host_name(name); index != 0) {
    ns = names.host_ns(index);
  } else {
    ns = names.vm_ns(name);
  }
  if (!lab::namespace_exists(ns)) {
    throw LabError("no VM, hypervisor, fabric or outside host named '" + name + "' in lab " + options.prefix +
                   " (namespace " + ns + " does not exist)");
  }
  return ns;
}

}  // namespace

void register_lab_commands(CLI::App& root) {
  auto args = std::make_shared<LabArgs>();
  CLI::App* lab = root.add_subcommand("lab", "a whole Overcast cloud on this machine, in network namespaces");
  lab->require_subcommand(1);

  CLI::App* up = lab->add_subcommand("up", "build (or repair) the lab and start its daemons");
  add_common_options(up, *args);
  up->add_option("--hosts", args->options.hosts, "number of hypervisors (default 3)")
      ->each([args](const std::string&) { args->options.hosts_given = true; });
  up->add_option("--api-port", args->options.api_port,
                 "the controller's API port on 127.0.0.1 (default 9696)")
      ->each([args](const std::string&) { args->options.api_port_given = true; });
  up->add_option("--bin-dir", args->options.bin_dir,
                 "where overcast-controller and overcast-agent are (default: next to overcast)");
  up->add_option("--log-level", args->options.log_level, "daemons' log level (default info)");
  up->callback([args] {
    run_guarded(*args, [](const LabOptions& options) { lab::lab_up(options, std::cout); });
  });

  CLI::App* down = lab->add_subcommand("down", "stop the daemons and delete everything the lab made");
  add_common_options(down, *args);
  down->callback([args] {
    run_guarded(*args, [](const LabOptions& options) { lab::lab_down(options, std::cout); });
  });

  CLI::App* status = lab->add_subcommand("status", "the lab's API, daemons, hosts and VMs");
  add_common_options(status, *args);
  status->add_flag("--json", args->json, "print JSON");
  // The root's `-f json` (overcast's output switch) means the same as --json here.
  CLI::App* root_app = &root;
  status->callback([args, root_app] {
    run_guarded(*args, [args, root_app](const LabOptions& options) {
      const auto json = lab::lab_status(options);
      const CLI::Option* format = root_app->get_option_no_throw("--format");
      const bool root_json = format != nullptr && format->count() > 0 &&
                             format->as<std::string>() == "json";
      if (args->json || root_json) {
        std::cout << json.dump(2) << "\n";
      } else {
        lab::print_lab_status(json, std::cout);
      }
    });
  });

  CLI::App* vm = lab->add_subcommand("vm", "attach a VM namespace to a port bound to a hypervisor");
  add_common_options(vm, *args);
  vm->add_option("name", args->name, "VM name")->required();
  vm->add_option("--port", args->port, "port name or ID")->required();
  vm->add_flag("--static", args->static_addressing,
               "configure the port's fixed IP, MTU and default route directly instead of "
               "running a DHCP client (udhcpc) in the VM");
  vm->callback([args] {
    run_guarded(*args, [args](const LabOptions& options) {
      if (auto problem = lab::vm_name_problem(args->name)) throw LabError(*problem);
      auto state = lab::require_lab_state(options);
      const auto record = lab::attach_vm(options, state, args->name, args->port,
                                             args->static_addressing);
      state.save(lab::state_file_path(options));
      std::cout << "vm " << record.name << " on " << record.host << ": " << record.tap << " "
                << record.mac << " "
                << (record.ip.empty() ? "-" : record.ip + "/" + std::to_string(record.prefix_length))
                << " mtu " << record.mtu << (record.dhcp ? " by DHCP" : "") << " (namespace "
                << lab::LabNames(options.prefix).vm_ns(record.name) << ")\n";
    });
  });

  CLI::App* exec = lab->add_subcommand("exec", "run a command in a VM, hvI, fab or ext (the outside host) namespace");
  add_common_options(exec, *args);
  exec->add_option("name", args->name, "VM name, hvI, fab or ext")->required();
  exec->add_option("command", args->command, "the command, after --")->required();
  exec->callback([args] {
    run_guarded(*args, [args](const LabOptions& options) {
      lab::Argv argv{"ip", "netns", "exec", exec_namespace(options, args->name)};
      argv.insert(argv.end(), args->command.begin(), args->command.end());
      lab::exec_replacing_self(argv);
    });
  });

  CLI::App* agent = lab->add_subcommand("agent", "GET a path of a hypervisor agent's control socket");
  add_common_options(agent, *args);
  agent->add_option("host", args->name, "hypervisor (hv1, hv2, ...)")->required();
  agent->add_option("path", args->path, "/status (default), /counters or /view");
  agent->callback([args] {
    run_guarded(*args, [args](const LabOptions& options) {
      const auto state = lab::require_lab_state(options);
      if (state.find_host(args->name) == nullptr) {
        throw LabError("no hypervisor '" + args->name + "' in lab " + options.prefix);
      }
      std::string error;
      const auto json = lab::agent_get(options, args->name, args->path, error);
      if (!json) throw LabError(error);
      std::cout << json->dump(2) << "\n";
    });
  });
}

}  // namespace overcast::cli
