import { Option } from "commander";
import { CLOUDS } from "../catalog/clouds";

export function cloudOption(): Option {
  return new Option("--cloud <cloud>", "Azure cloud (overrides the config file)").choices(CLOUDS);
}

export function formatOption(formats: readonly string[], fallback = formats[0]!): Option {
  return new Option("-f, --format <format>", "output format").choices(formats).default(fallback);
}
