#!/usr/bin/env python3
"""Features peer: pandas doing the work of recstage's `features` stage.

Reads both raw CSVs with pandas' default dtypes, parses the ISO-8601 times, keeps the newest row
of a duplicated item id, deduplicates interactions (same user, item, event, time), drops
interactions on unknown items, maps item and user ids to dense ints, sorts interactions by user
then time, computes per-item features (events per type over the 7 and 30 days before the latest
interaction, distinct users over 30 days, last event time, age in days), and writes
items.arrow, users.arrow, interactions.arrow and item_features.arrow with pyarrow. No dtype
narrowing beyond the int32 dense indices: that is what pandas gives by default.
"""
import argparse
import os

import numpy as np
import pandas as pd
import pyarrow as pa

from peer_common import PhaseTimer

WINDOWS_DAYS = (7, 30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", required=True, help="raw items.csv")
    parser.add_argument("--interactions", required=True, help="raw interactions.csv")
    parser.add_argument("--out", required=True, help="output directory")
    args = parser.parse_args()

    timer = PhaseTimer("features-pandas")
    items = pd.read_csv(args.items)
    interactions = pd.read_csv(args.interactions)
    timer.phase("read_csv")
    items["create_time"] = pd.to_datetime(items["create_time"], utc=True, format="ISO8601")
    interactions["create_time"] = pd.to_datetime(interactions["create_time"], utc=True, format="ISO8601")
    timer.phase("parse_times")
    items, interactions, users = index_ids(items, interactions)
    print(f"items={len(items)} users={len(users)} interactions={len(interactions)}", flush=True)
    timer.phase("dedupe_and_map_ids")
    features = item_features(items, interactions)
    timer.phase("item_features")
    os.makedirs(args.out, exist_ok=True)
    write_arrow(os.path.join(args.out, "items.arrow"), items)
    write_arrow(os.path.join(args.out, "users.arrow"), users)
    write_arrow(os.path.join(args.out, "interactions.arrow"), interactions)
    write_arrow(os.path.join(args.out, "item_features.arrow"), features)
    timer.phase("write")
    timer.done()


def index_ids(items, interactions):
    items = items.sort_values("create_time", kind="stable").drop_duplicates("item_id", keep="last")
    items = items.reset_index(drop=True)
    items.insert(0, "item", np.arange(len(items), dtype=np.int32))
    items["category"] = items["category"].astype("category")

    interactions = interactions.drop_duplicates(["user_id", "item_id", "event_type", "create_time"])
    item_index = pd.Index(items["item_id"]).get_indexer(interactions["item_id"])
    interactions = interactions[item_index >= 0].assign(item=item_index[item_index >= 0].astype(np.int32))
    user_codes, user_ids = pd.factorize(interactions["user_id"], sort=True)
    interactions = interactions.assign(user=user_codes.astype(np.int32))
    interactions = interactions.sort_values(["user", "create_time"], kind="stable").reset_index(drop=True)
    interactions = pd.DataFrame(
        {
            "user": interactions["user"],
            "item": interactions["item"],
            "event": interactions["event_type"].astype("category"),
            "weight": np.ones(len(interactions), dtype=np.float32),
            "ts": interactions["create_time"],
        }
    )
    users = pd.DataFrame({"user": np.arange(len(user_ids), dtype=np.int32), "user_id": user_ids})
    return items, interactions, users


def item_features(items, interactions):
    as_of = interactions["ts"].max()
    features = pd.DataFrame({"item": items["item"]})
    for days in WINDOWS_DAYS:
        recent = interactions[interactions["ts"] > as_of - pd.Timedelta(days=days)]
        counts = pd.crosstab(recent["item"], recent["event"]).add_suffix(f"_{days}d")
        features = features.join(counts, on="item")
        if days == 30:
            distinct = recent.groupby("item")["user"].nunique().rename("users_30d")
            features = features.join(distinct, on="item")
    features = features.fillna(0)
    features["last_event_time"] = features["item"].map(interactions.groupby("item")["ts"].max())
    features["age_days"] = (as_of - items["create_time"]).dt.days
    return features


def write_arrow(path, frame):
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


if __name__ == "__main__":
    main()
