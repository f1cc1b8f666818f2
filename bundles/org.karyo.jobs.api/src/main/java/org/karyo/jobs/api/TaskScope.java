package org.karyo.jobs.api;

/** Where a scheduled task runs. */
public enum TaskScope {
    /** Once per firing across all nodes (on whichever node records the firing first); every run is in the history. */
    CLUSTER,
    /** On every node at each firing (refreshing a node's own caches); each node keeps its last run only. */
    NODE
}
