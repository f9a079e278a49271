//! The weblog's static resources: a stylesheet and a plain-JavaScript `pipeline.js` that
//! behaves like the real one (loads detail pages by XHR, `history.pushState`, `localStorage`).

pub const PIPELINE_CSS: &str = "body { font-family: Helvetica, Arial, sans-serif; margin: 0; padding-top: 50px; color: #333; }
.navbar { position: fixed; top: 0; left: 0; right: 0; height: 44px; background: #f8f8f8; border-bottom: 1px solid #e7e7e7; display: flex; align-items: center; padding: 0 12px; }
.navbar a { margin-right: 16px; color: #337ab7; text-decoration: none; }
.navbar .active a { font-weight: bold; color: #555; }
.navbar-projectcode { margin-left: auto; color: #777; }
#app-container { padding: 0 16px; }
table { border-collapse: collapse; margin-bottom: 16px; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; }
.qa-good { background: #dff0d8; } .qa-warn { background: #fcf8e3; } .qa-bad { background: #f2dede; }
.thumbnail { display: inline-block; margin: 4px; text-align: center; font-size: 12px; }
#stage-details { border-top: 2px solid #337ab7; margin-top: 16px; padding-top: 8px; }
";

pub const PIPELINE_JS: &str = r##"/* pipeline.js: weblog navigation without external libraries.
 * Detail pages are fetched by XMLHttpRequest and injected into the current page, as the
 * pipeline's jQuery .load() calls do; the selected stage goes into the history and the
 * QA filter into localStorage. */
var pipeline = (function () {
    "use strict";

    function load(href, target, done) {
        var xhr = new XMLHttpRequest();
        xhr.open("GET", href);
        xhr.onload = function () {
            if (xhr.status !== 200 && xhr.status !== 0) {
                target.textContent = "Could not load " + href + " (" + xhr.status + ")";
                return;
            }
            var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
            var base = href.substring(0, href.lastIndexOf("/") + 1);
            doc.querySelectorAll("[src]").forEach(function (el) {
                var src = el.getAttribute("src");
                if (src.indexOf("../") === 0) { el.setAttribute("src", src.substring(3)); }
                else if (src.indexOf("/") !== 0) { el.setAttribute("src", base + src); }
            });
            doc.querySelectorAll("a[href]").forEach(function (el) {
                var a = el.getAttribute("href");
                if (a.indexOf("#") !== 0 && a.indexOf("../") !== 0) { el.setAttribute("href", base + a); }
            });
            target.innerHTML = doc.body.innerHTML;
            if (done) { done(); }
        };
        xhr.onerror = function () { target.textContent = "Could not load " + href; };
        xhr.send();
    }

    function showStage(number, push) {
        var target = document.getElementById("stage-details");
        if (!target) { return; }
        load("stage" + number + "/t2-4m_details.html", target);
        localStorage.setItem("pipeline.lastStage", String(number));
        if (push) { history.pushState({ stage: number }, "", "?stage=" + number); }
    }

    function applyFilter() {
        var only = localStorage.getItem("pipeline.onlyWarnings") === "true";
        var box = document.getElementById("only-warnings");
        if (box) { box.checked = only; }
        document.querySelectorAll("tr[data-score]").forEach(function (row) {
            var low = parseFloat(row.getAttribute("data-score")) < 0.9;
            row.style.display = only && !low ? "none" : "";
        });
    }

    function initTaskSummary() {
        document.querySelectorAll("a.stage-link").forEach(function (a) {
            a.addEventListener("click", function (ev) {
                ev.preventDefault();
                showStage(a.getAttribute("data-stage"), true);
            });
        });
        var box = document.getElementById("only-warnings");
        if (box) {
            box.addEventListener("change", function () {
                localStorage.setItem("pipeline.onlyWarnings", box.checked ? "true" : "false");
                applyFilter();
            });
        }
        applyFilter();
        var m = /[?&]stage=(\d+)/.exec(location.search);
        if (m) { showStage(m[1], false); }
        window.addEventListener("popstate", function (ev) {
            if (ev.state && ev.state.stage) { showStage(ev.state.stage, false); }
        });
    }

    function initHome() {
        document.querySelectorAll("[data-href]").forEach(function (el) {
            load(el.getAttribute("data-href"), el);
        });
    }

    return { load: load, pages: { t1_1: { ready: initHome }, t1_4: { ready: initTaskSummary } } };
}());
"##;
