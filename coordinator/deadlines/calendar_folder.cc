#include "coordinator/deadlines/calendar_folder.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "coordinator/deadlines/calendar_file.h"

namespace dsr::deadlines {
namespace {

namespace fs = std::filesystem;

constexpr const char* kClosingDaysStem = "closing_days";
// As for config files: anything bigger is a mistake.
constexpr std::uintmax_t kMaxCalendarFileBytes = 1024 * 1024;

// A region from a file: its own rules, then the calendars it includes.
class FileCalendar final : public HolidayCalendar {
 public:
  FileCalendar(std::string region, std::vector<HolidayEntry> holidays,
               std::vector<std::shared_ptr<const HolidayCalendar>> included)
      : region_(std::move(region)),
        holidays_(std::move(holidays)),
        included_(std::move(included)) {}

  bool IsPublicHoliday(CivilDate date) const override {
    return std::any_of(holidays_.begin(), holidays_.end(),
                       [date](const HolidayEntry& entry) { return Matches(entry, date); }) ||
           std::any_of(included_.begin(), included_.end(),
                       [date](const auto& calendar) { return calendar->IsPublicHoliday(date); });
  }

  std::optional<std::string> HolidayName(CivilDate date) const override {
    std::vector<std::string> names;
    auto add = [&names](const std::string& name) {
      // A region that includes another may list a shared holiday again.
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    };
    for (const HolidayEntry& entry : holidays_) {
      if (Matches(entry, date)) add(entry.name);
    }
    for (const auto& calendar : included_) {
      if (auto name = calendar->HolidayName(date)) add(*name);
    }
    if (names.empty()) return std::nullopt;
    std::string joined = names[0];
    for (size_t i = 1; i < names.size(); ++i) joined += "; " + names[i];
    return joined;
  }

  std::string_view region() const override { return region_; }

 private:
  std::string region_;
  std::vector<HolidayEntry> holidays_;
  std::vector<std::shared_ptr<const HolidayCalendar>> included_;
};

Result<std::string> ReadCalendarFile(const fs::path& path) {
  std::error_code error;
  if (fs::file_size(path, error) > kMaxCalendarFileBytes || error) {
    return ValidationError(path.string() + ": unreadable or larger than 1 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path.string() + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct FolderFiles {
  std::map<std::string, RegionFile> regions;
  std::optional<ClosingDays> closing_days;
};

Status ReadOneFile(const fs::path& path, FolderFiles* files) {
  const std::string stem = path.stem().string();
  const std::string shown = path.string();
  if (stem == kClosingDaysStem) {
    if (files->closing_days) return ValidationError(shown + ": closing days are defined twice");
    auto text = ReadCalendarFile(path);
    if (!text.ok()) return text.status();
    auto parsed = ParseClosingDaysFile(shown, *text);
    if (!parsed.ok()) return parsed.status();
    files->closing_days = std::move(*parsed);
    return Status::Ok();
  }
  if (!IsRegionCode(stem)) {
    return ValidationError(shown +
                           ": a calendar file is named after its region code in capitals "
                           "(AT.yaml, AT-9.yaml) or is closing_days.yaml");
  }
  if (IsBuiltInRegion(stem)) {
    return ValidationError(shown + ": region " + stem +
                           " is built in and cannot be redefined; define a new region that "
                           "includes it instead");
  }
  if (const auto other = files->regions.find(stem); other != files->regions.end()) {
    return ValidationError(shown + ": region " + stem + " is defined twice, also in " +
                           other->second.path);
  }
  auto text = ReadCalendarFile(path);
  if (!text.ok()) return text.status();
  auto parsed = ParseRegionFile(shown, stem, *text);
  if (!parsed.ok()) return parsed.status();
  files->regions.emplace(stem, std::move(*parsed));
  return Status::Ok();
}

Result<FolderFiles> ReadFolder(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error))
    return NotFound("calendar folder " + dir + " is not a directory");
  std::vector<fs::path> paths;
  try {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const fs::path& path = entry.path();
      const std::string extension = path.extension().string();
      if (!entry.is_regular_file() || path.filename().string()[0] == '.') continue;
      if (extension == ".yaml" || extension == ".yml") paths.push_back(path);
    }
  } catch (const fs::filesystem_error& e) {
    return NotFound("cannot list calendar folder " + dir + ": " + e.what());
  }
  std::sort(paths.begin(), paths.end());  // the same error first on every run
  FolderFiles files;
  for (const fs::path& path : paths) DSR_RETURN_IF_ERROR(ReadOneFile(path, &files));
  return files;
}

std::string KnownRegions(const std::vector<std::string>& folder_regions) {
  std::string list;
  for (std::string_view code : BuiltInRegions())
    list += (list.empty() ? "" : ", ") + std::string(code);
  for (const std::string& code : folder_regions) list += ", " + code;
  return list;
}

// Builds the calendar of every region file, each after the regions it
// includes; `chain` is the path of includes being followed, to find cycles.
class IncludeResolver {
 public:
  explicit IncludeResolver(const std::map<std::string, RegionFile>& files) : files_(files) {}

  Status BuildAll() {
    for (const auto& entry : files_) {
      auto built = Build(entry.second);
      if (!built.ok()) return built.status();
    }
    return Status::Ok();
  }

  std::map<std::string, std::shared_ptr<const HolidayCalendar>, std::less<>> TakeBuilt() {
    return std::move(built_);
  }

 private:
  Result<std::shared_ptr<const HolidayCalendar>> Build(const RegionFile& file) {
    if (const auto done = built_.find(file.region); done != built_.end()) return done->second;
    chain_.push_back(file.region);
    std::vector<std::shared_ptr<const HolidayCalendar>> included;
    for (const RegionInclude& include : file.includes) {
      auto calendar = Included(file, include);
      if (!calendar.ok()) return calendar.status();
      included.push_back(std::move(*calendar));
    }
    chain_.pop_back();
    auto calendar = std::make_shared<const FileCalendar>(file.region, file.holidays, included);
    built_.emplace(file.region, calendar);
    return std::shared_ptr<const HolidayCalendar>(calendar);
  }

  Result<std::shared_ptr<const HolidayCalendar>> Included(const RegionFile& file,
                                                          const RegionInclude& include) {
    const std::string at = file.path + ":" + std::to_string(include.line) + ": includes ";
    if (IsBuiltInRegion(include.region)) {
      auto calendar = NewHolidayCalendar(include.region);
      if (!calendar.ok()) return calendar.status();
      return std::shared_ptr<const HolidayCalendar>(std::move(*calendar));
    }
    const auto target = files_.find(include.region);
    if (target == files_.end()) {
      std::vector<std::string> folder;
      for (const auto& entry : files_) folder.push_back(entry.first);
      return ValidationError(at + "unknown region " + include.region +
                             "; known regions: " + KnownRegions(folder));
    }
    if (std::find(chain_.begin(), chain_.end(), include.region) != chain_.end()) {
      std::string cycle;
      for (const std::string& region : chain_) cycle += region + " -> ";
      return ValidationError(at + include.region + ", a cycle of includes: " + cycle +
                             include.region);
    }
    return Build(target->second);
  }

  const std::map<std::string, RegionFile>& files_;
  std::map<std::string, std::shared_ptr<const HolidayCalendar>, std::less<>> built_;
  std::vector<std::string> chain_;
};

}  // namespace

Result<CalendarFolder> CalendarFolder::Load(const std::string& dir) {
  auto files = ReadFolder(dir);
  if (!files.ok()) return files.status();
  IncludeResolver resolver(files->regions);
  DSR_RETURN_IF_ERROR(resolver.BuildAll());
  CalendarFolder folder;
  folder.regions_ = resolver.TakeBuilt();
  if (files->closing_days) folder.closing_days_ = std::move(*files->closing_days);
  return folder;
}

Result<std::shared_ptr<const HolidayCalendar>> CalendarFolder::Calendar(
    std::string_view region) const {
  if (const auto found = regions_.find(region); found != regions_.end()) return found->second;
  if (IsBuiltInRegion(region)) {
    auto calendar = NewHolidayCalendar(region);
    if (!calendar.ok()) return calendar.status();
    return std::shared_ptr<const HolidayCalendar>(std::move(*calendar));
  }
  return ValidationError("unknown holiday region '" + std::string(region) +
                         "'; known regions: " + KnownRegions(FolderRegions()));
}

std::vector<std::string> CalendarFolder::FolderRegions() const {
  std::vector<std::string> codes;
  for (const auto& entry : regions_) codes.push_back(entry.first);
  return codes;
}

}  // namespace dsr::deadlines
