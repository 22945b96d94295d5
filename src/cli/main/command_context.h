// What every command needs: the global options, the API client, where to print, and the
// exit code the run will end with. Commands report failures through it so that every
// error looks the same ("error: <message>" on stderr) and maps to the documented codes.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/client/neutron_client.h"
#include "cli/main/exit_codes.h"
#include "cli/main/output.h"

namespace overcast::cli {

class CommandContext {
 public:
  CommandContext(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}

  // Set by the global options; read once the command line is parsed.
  std::string endpoint = kDefaultEndpoint;
  std::string format = "table";

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  OutputFormat output_format() const;
  NeutronClient client() const { return NeutronClient(endpoint); }

  ExitCode exit_code() const { return exit_code_; }

  // Prints "error: <message>" and folds the failure's exit code into the run's.
  ExitCode fail(const ApiResult& result);
  ExitCode usage_error(const std::string& message);

  // The object named `name_or_id` in `collection`, or nullopt after reporting why not.
  std::optional<nlohmann::json> resolve(const std::string& collection,
                                        const std::string& name_or_id,
                                        const std::string& name_field = "name");
  // resolve(), then its "id".
  std::optional<std::string> resolve_id(const std::string& collection,
                                        const std::string& name_or_id);

  // GET /v2.0/<collection>[?query]: the array, or nullopt after reporting the failure.
  std::optional<nlohmann::json> list(
      const std::string& collection,
      const std::vector<std::pair<std::string, std::string>>& query = {});

 private:
  std::ostream& out_;
  std::ostream& err_;
  ExitCode exit_code_ = kExitOk;
};

}  // namespace overcast::cli
