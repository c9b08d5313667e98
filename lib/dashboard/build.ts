import { PanelBuilder as BarGaugeBuilder } from "@grafana/grafana-foundation-sdk/bargauge";
import { AlertSelectors } from "../rules/settings";
import * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as GaugeBuilder } from "@grafana/grafana-foundation-sdk/gauge";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as StateTimelineBuilder } from "@grafana/grafana-foundation-sdk/statetimeline";
import { PanelBuilder as TableBuilder } from "@grafana/grafana-foundation-sdk/table";
import { PanelBuilder as TimeseriesBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import { DEFAULT_RUNBOOK_BASE_URL } from "../rules/types";
import { DashboardFeatures, dashboardRows, PanelSpec } from "./panels";
import { dashboardQueries } from "./queries";
import { DEFAULT_DASHBOARD_UID } from "./settings";

/** Default uid (Grafana allows 40 characters; lower-case and '-' also fit Kubernetes-style names); per instance with `dashboard:uid`. */
export const DASHBOARD_UID = DEFAULT_DASHBOARD_UID;
export const DASHBOARD_TITLE = "MetalLB";

/** Panels and queries read the Prometheus data source from the `datasource` variable. */
const DATASOURCE: common.DataSourceRef = { type: "prometheus", uid: "${datasource}" };

export interface MetallbDashboardOptions {
    /** MetalLB's namespace (every query is scoped to it). */
    readonly namespace: string;
    readonly features: DashboardFeatures;
    /** Pool usage alert thresholds in percent; the utilisation panels change colour there. */
    readonly warningPercent: number;
    readonly criticalPercent: number;
    /** Dashboard uid (default metallb-overview): one per cluster when several share a Grafana. */
    readonly uid?: string;
    /** The rules' cluster label (alerts:clusterLabel): adds a `cluster` variable and filters every query by it. */
    readonly clusterLabel?: string;
    /** Base URL of the runbooks (alerts:runbookBaseUrl); the firing-alerts table links `<base>/<AlertName>.md`. */
    readonly runbookBaseUrl?: string;
    /** Where the series are scraped (alerts:selectors): the same job names and namespace as the rules. */
    readonly selectors?: Partial<AlertSelectors>;
    /** Pools the pool panels leave out, as the alerts do: reserved (autoAssign false) and excluded ones. */
    readonly excludePools?: readonly string[];
}

type AnyPanelBuilder = StatBuilder | GaugeBuilder | BarGaugeBuilder | TimeseriesBuilder | StateTimelineBuilder | TableBuilder;

function thresholds(spec: PanelSpec): dashboard.ThresholdsConfigBuilder {
    return new dashboard.ThresholdsConfigBuilder()
        .mode(dashboard.ThresholdsMode.Absolute)
        .steps(spec.thresholds ? spec.thresholds.map((s) => ({ value: s.value, color: s.color })) : [{ value: null, color: "green" }]);
}

const UP_DOWN: dashboard.ValueMapping[] = [
    {
        type: dashboard.MappingType.ValueToText,
        options: { "0": { text: "Down", color: "red", index: 0 }, "1": { text: "Up", color: "green", index: 1 } },
    },
];

function panelBuilder(spec: PanelSpec): AnyPanelBuilder {
    const reduce = new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(spec.kind === "bargauge");
    switch (spec.kind) {
        case "stat":
            return new StatBuilder().reduceOptions(reduce).graphMode(common.BigValueGraphMode.Area).colorMode(common.BigValueColorMode.Value);
        case "gauge":
            return new GaugeBuilder().reduceOptions(reduce).showThresholdMarkers(true);
        case "bargauge":
            return new BarGaugeBuilder().reduceOptions(reduce).displayMode(common.BarGaugeDisplayMode.Gradient).orientation(common.VizOrientation.Horizontal);
        case "timeseries":
            return new TimeseriesBuilder()
                .legend(
                    new common.VizLegendOptionsBuilder()
                        .showLegend(true)
                        .displayMode(common.LegendDisplayMode.Table)
                        .placement(common.LegendPlacement.Bottom)
                        .calcs(["lastNotNull", "max"]),
                )
                .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
        case "statetimeline":
            return new StateTimelineBuilder().showValue(common.VisibilityMode.Never).mergeValues(true);
        case "table":
            return tableBuilder(spec);
    }
}

/**
 * A table with readable columns: several instant queries merged into one row per label set, only
 * the listed fields kept (filterFieldsByName), renamed and ordered (organize).
 */
function tableBuilder(spec: PanelSpec): TableBuilder {
    const b = new TableBuilder().showHeader(true).cellHeight(common.TableCellHeight.Sm);
    if (spec.targets.length > 1) {
        b.withTransformation({ id: "merge", options: {} });
    }
    const columns = spec.columns ?? [];
    if (columns.length > 0) {
        b.withTransformation({ id: "filterFieldsByName", options: { include: { names: columns.map(([field]) => field) } } });
        b.withTransformation({
            id: "organize",
            options: {
                excludeByName: {},
                renameByName: Object.fromEntries(columns.map(([field, title]) => [field, title])),
                indexByName: Object.fromEntries(columns.map(([field], i) => [field, i])),
            },
        });
    }
    if (spec.sortBy) {
        b.sortBy([new common.TableSortByFieldStateBuilder().displayName(spec.sortBy.column).desc(spec.sortBy.desc ?? false)]);
    }
    if (spec.footerMin) {
        b.footer(new common.TableFooterOptionsBuilder().show(true).reducer(["min"]).fields(spec.footerMin.slice()).countRows(false));
    }
    if (spec.colorCells) {
        b.cellOptions({ type: common.TableCellDisplayMode.ColorBackground, mode: common.TableCellBackgroundDisplayMode.Basic } as common.TableCellOptions);
    }
    if (spec.links) {
        b.dataLinks(spec.links.map((l) => new dashboard.DashboardLinkBuilder(l.title).url(l.url).targetBlank(true)));
    }
    return b;
}

function panel(spec: PanelSpec, id: number): cog.Builder<dashboard.Panel> {
    const b = panelBuilder(spec)
        .id(id)
        .title(spec.title)
        .description(spec.description)
        .datasource(DATASOURCE)
        .unit(spec.unit)
        .thresholds(thresholds(spec))
        .span(spec.width)
        .height(spec.height);
    if (spec.min !== undefined) {
        b.min(spec.min);
    }
    if (spec.max !== undefined) {
        b.max(spec.max);
    }
    if (spec.upDown) {
        b.mappings(UP_DOWN).thresholds(
            new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
                { value: null, color: "red" },
                { value: 1, color: "green" },
            ]),
        );
    }
    spec.targets.forEach((t, i) => {
        const q = new prometheus.DataqueryBuilder()
            .datasource(DATASOURCE)
            .refId(String.fromCharCode(65 + i))
            .expr(t.expr)
            .legendFormat(t.legend ?? "__auto");
        if (t.instant) {
            q.instant();
        } else {
            q.range();
        }
        if (t.table) {
            q.format(prometheus.PromQueryFormat.Table);
        }
        b.withTarget(q);
    });
    return b;
}

/** A `label_values` variable: multi-select with All (".*"), refreshed when the time range changes. */
function multiValueVariable(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
    return new dashboard.QueryVariableBuilder(name)
        .label(label)
        .datasource(DATASOURCE)
        .query(query)
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboard.VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue(".*");
}

/** The MetalLB dashboard model (classic JSON, what `POST /api/dashboards/db` and sidecars take). */
export function buildMetallbDashboard(o: MetallbDashboardOptions): dashboard.Dashboard {
    const q = dashboardQueries({ namespace: o.namespace, clusterLabel: o.clusterLabel, selectors: o.selectors, excludePools: o.excludePools });
    const builder = new dashboard.DashboardBuilder(DASHBOARD_TITLE)
        .uid(o.uid ?? DASHBOARD_UID)
        .description(
            "MetalLB 0.16: address pools, announcements, Layer 2, BGP/BFD and Kubernetes client health. Managed as code (metallb-observability); edits in Grafana are overwritten.",
        )
        .tags(["metallb", "networking", "managed-by-pulumi"])
        .readonly()
        .timezone("browser")
        .refresh("30s")
        .time({ from: "now-1h", to: "now" })
        .tooltip(dashboard.DashboardCursorSync.Crosshair)
        .withVariable(new dashboard.DatasourceVariableBuilder("datasource").label("Data source").type("prometheus"));
    if (q.clusterVariable) {
        // kubernetes-mixin convention: the cluster from kube-state-metrics' `up` (config.libsonnet L121-123).
        builder.withVariable(
            new dashboard.QueryVariableBuilder("cluster")
                .label("Cluster")
                .datasource(DATASOURCE)
                .query(q.clusterVariable)
                .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
                .sort(dashboard.VariableSort.AlphabeticalAsc),
        );
    }
    builder.withVariable(multiValueVariable("pool", "Pool", q.poolVariable)).withVariable(multiValueVariable("node", "Node", q.nodeVariable));
    let id = 1;
    const rows = dashboardRows(q, { ...o, runbookBaseUrl: o.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL });
    for (const row of rows) {
        const rowBuilder = new dashboard.RowBuilder(row.title).id(id++);
        if (row.collapsed) {
            // A collapsed row holds its panels; Grafana runs their queries only when it is opened.
            rowBuilder.collapsed(true);
            for (const spec of row.panels) {
                rowBuilder.withPanel(panel(spec, id++));
            }
            builder.withRow(rowBuilder);
            continue;
        }
        builder.withRow(rowBuilder);
        for (const spec of row.panels) {
            builder.withPanel(panel(spec, id++));
        }
    }
    return builder.build();
}

/** The dashboard as the JSON text Grafana stores (stable key order for clean diffs). */
export function dashboardJson(o: MetallbDashboardOptions): string {
    return JSON.stringify(buildMetallbDashboard(o));
}
