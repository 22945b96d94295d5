#include "cli/main/app.h"

#include "cli/client/endpoint.h"
#include "cli/main/command_context.h"
#include "cli/main/commands.h"
#include "cli/main/version.h"

namespace overcast::cli {

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            const std::function<void(CLI::App&)>& register_extra) {
  CommandContext ctx(out, err);
  CLI::App app("overcast: operate Overcast virtual networks through the controller's "
               "OpenStack Networking v2.0 API",
               "overcast");
  app.footer(std::string("Names or IDs are accepted wherever a resource is named.\n") +
             kExitCodeHelp);
  // Global options may also follow the command (`overcast network list -f json`); set
  // before the subcommands are added, which inherit it.
  app.fallthrough();
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("overcast ") + kCliVersion);
  app.add_option("--endpoint", ctx.endpoint, "Controller API URL, http[s]://HOST[:PORT][/PREFIX]")
      ->envname("OVERCAST_ENDPOINT")
      ->check(CLI::Validator(
          [](std::string& text) {
            std::string error;
            return Endpoint::parse(text, error) ? std::string() : error;
          },
          "URL"))
      ->capture_default_str();
  app.add_option("-f,--format", ctx.format, "Output: table (people) or json (scripts)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "error: " + std::string(e.what()) + "\nRun with --help for more information.\n";
  });

  register_network_commands(app, ctx);
  register_subnet_commands(app, ctx);
  register_port_commands(app, ctx);
  register_host_commands(app, ctx);
  register_router_commands(app, ctx);
  register_floating_ip_commands(app, ctx);
  register_security_group_commands(app, ctx);
  register_version_command(app, ctx);
  if (register_extra) register_extra(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    if (code == static_cast<int>(CLI::ExitCodes::Success)) return kExitOk;
    // A command callback may end the run with CLI::RuntimeError(code); that code stands.
    if (e.get_name() == "RuntimeError") return code;
    return kExitUsage;
  } catch (const nlohmann::json::exception& e) {
    err << "error: unexpected answer from the controller: " << e.what() << '\n';
    return kExitUnavailable;
  }
  return ctx.exit_code();
}

}  // namespace overcast::cli
