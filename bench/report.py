"""Shared output of the bench scripts: aligned ``key  value`` lines and an optional JSON file."""

import json


def print_report(result, json_path=None, render=str):
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {render(value)}")
    if json_path:
        with open(json_path, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=1)
