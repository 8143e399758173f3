// Commands that need no running coordinator: the deadline calculator and the
// audit-chain check against the store itself.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "common/civil_date.h"
#include "common/data_protection.h"
#include "coordinator/deadlines/calendar_folder.h"
#include "coordinator/deadlines/deadline.h"
#include "coordinator/store/store.h"
#include "tools/dsrctl/command_support.h"

namespace dsr::ctl {
namespace {

// The calendar folder: --calendar-dir, else $DSR_CALENDAR_DIR, else none
// (built-in regions only), as the coordinator's URL comes from --url or $DSR_URL.
Result<deadlines::CalendarFolder> CalendarFolderOf(const Arguments& args) {
  const char* env = std::getenv("DSR_CALENDAR_DIR");
  const std::string dir = args.Value("--calendar-dir", env != nullptr ? env : "");
  if (dir.empty()) return deadlines::CalendarFolder();
  return deadlines::CalendarFolder::Load(dir);
}

int Deadline(const Arguments& args, const char* help) {
  if (!args.Has("--received")) return UsageError("deadline needs --received YYYY-MM-DD", help);
  auto received = CivilDate::Parse(args.Value("--received"));
  if (!received.ok()) return UsageError(received.status().message(), help);
  auto folder = CalendarFolderOf(args);
  if (!folder.ok()) return Report(folder.status());
  auto calendar = folder->Calendar(args.Value("--region", "DE"));
  if (!calendar.ok()) return UsageError(calendar.status().message(), help);
  auto from = deadlines::ParseExtensionFrom(args.Value("--extension-from", "first_period_end"));
  if (!from.ok()) return UsageError(from.status().message(), help);
  const CivilDate due = args.Has("--extended")
                            ? deadlines::ExtendedDueDate(*received, **calendar, *from)
                            : deadlines::DueDate(*received, **calendar);
  std::printf("%s\n", due.ToString().c_str());
  return kOk;
}

int Audit(const Arguments& args, const char* help) {
  if (args.positional().size() != 1 || args.positional()[0] != "verify") {
    return UsageError("the audit command is: audit verify --store URL", help);
  }
  if (!args.Has("--store")) return UsageError("audit verify needs --store URL", help);
  auto store = store::Store::Open(args.Value("--store"), 1);
  if (!store.ok()) return Report(store.status());
  Status verified = store::VerifyAuditChain(**store);
  if (!verified.ok()) {
    std::printf("BROKEN: %s\n", verified.message().c_str());
    return kFailed;
  }
  std::printf("ok: the audit chain verifies\n");
  return kOk;
}

// The files below data_dir that hold personal data: everything in these
// folders (the key files beside them are not data).
constexpr const char* kDataFolders[] = {"results", "bundles", "letters"};

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma - start);
    if (!item.empty()) items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

// Re-encrypts store fields and files with the current key, offline.
int Rewrap(const Arguments& args, const char* help) {
  for (const char* needed : {"--store", "--data-dir", "--key-file"}) {
    if (!args.Has(needed)) return UsageError(std::string("datakey rewrap needs ") + needed, help);
  }
  auto ring = DataKeyring::Load(args.Value("--key-file"),
                                SplitList(args.Value("--previous-key-files")), "datakey rewrap");
  if (!ring.ok()) return Report(ring.status());
  const auto keys = std::make_shared<const DataKeyring>(std::move(ring.value()));
  auto store = store::Store::Open(args.Value("--store"), 1, keys);
  if (!store.ok()) return Report(store.status());
  auto fields = (*store)->ResealFields();
  if (!fields.ok()) return Report(fields.status());
  int files = 0;
  for (const char* folder : kDataFolders) {
    const std::filesystem::path root = std::filesystem::path(args.Value("--data-dir")) / folder;
    std::error_code error;
    if (!std::filesystem::is_directory(root, error)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      auto rewritten = ReencryptFile(entry.path().string(), *keys);
      if (!rewritten.ok()) return Report(rewritten.status());
      if (*rewritten) ++files;
    }
  }
  std::printf("key %s: %d store fields and %d files rewritten\n", keys->current_id().c_str(),
              *fields, files);
  return kOk;
}

int DataKey(const Arguments& args, const char* help) {
  const std::string verb = args.positional().size() == 1 ? args.positional()[0] : "";
  if (verb == "rewrap") return Rewrap(args, help);
  if (verb != "generate") {
    return UsageError("the datakey command is: datakey generate --out FILE, or datakey rewrap …",
                      help);
  }
  if (!args.Has("--out")) return UsageError("datakey generate needs --out FILE", help);
  auto id = GenerateDataKeyFile(args.Value("--out"));
  if (!id.ok()) return Report(id.status());
  std::printf("%s\n", id->c_str());
  return kOk;
}

}  // namespace

std::vector<Command> OfflineCommands() {
  return {
      {"deadline",
       "compute a due date offline (Art. 12(3) GDPR, Regulation 1182/71)",
       "Usage: dsrctl deadline --received YYYY-MM-DD [--extended] [--region DE|DE-BY|…]\n"
       "                       [--extension-from first_period_end|receipt]\n"
       "                       [--calendar-dir DIR]\n"
       "Prints the due date (with --extended the extended due date) as YYYY-MM-DD.\n"
       "--calendar-dir (default $DSR_CALENDAR_DIR) is a folder of further regions\n"
       "(AT.yaml …; docs/CALENDARS.md), as in the coordinator's controller.calendar_dir.\n"
       "Its closing days never move a deadline. Needs no running coordinator.\n",
       {{"--received", "--region", "--extension-from", "--calendar-dir"}, {"--extended"}},
       Deadline},
      {"audit",
       "verify the hash chain of the audit log in the store",
       "Usage: dsrctl audit verify --store URL\n"
       "Recomputes every event's hash from the store itself (e.g. --store\n"
       "\"sqlite3://db=/var/lib/dsr/dsr.db\") and names the first broken link. Exit 0 when the\n"
       "chain is whole, 1 when it is broken.\n",
       {{"--store"}, {}},
       Audit},
      {"datakey",
       "write a new data key file (encryption at rest)",
       "Usage: dsrctl datakey generate --out FILE\n"
       "       dsrctl datakey rewrap --store URL --data-dir DIR --key-file FILE\n"
       "                             [--previous-key-files FILE,FILE…]\n"
       "generate writes 32 random bytes as 64 hex digits to FILE with mode 0600 and\n"
       "prints the key's id. An existing FILE is never overwritten. Name the file in\n"
       "the coordinator's data_protection.key_file; for a rotation keep the old key\n"
       "in data_protection.previous_key_files.\n"
       "rewrap, with the coordinator stopped and the same values as its config,\n"
       "re-encrypts every sealed store field and every file below DIR/results,\n"
       "DIR/bundles and DIR/letters with the key in --key-file (also what was\n"
       "written before encryption at rest); then the old keys can go\n"
       "(docs/OPERATIONS.md, \"Data keys and purge\").\n",
       {{"--out", "--store", "--data-dir", "--key-file", "--previous-key-files"}, {}},
       DataKey},
  };
}

}  // namespace dsr::ctl
