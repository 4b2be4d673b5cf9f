/**
 * The run page's and the history's script: times shown in UTC get the reader's local
 * time beside them (in the summary card, the Timeline and the history; as a tooltip in
 * the log), and counters (`data-since`) tick each second: the card's "Running for", the
 * "Starting the agent…" row. The live log's script calls `shipPage` again after it adds
 * entries or redraws the summary.
 */
export const pageScript = `(()=>{const two=n=>String(n).padStart(2,"0");
const words=s=>s<60?s+" s":s<3600?Math.floor(s/60)+" min "+s%60+" s":Math.floor(s/3600)+" h "+Math.floor(s%3600/60)+" min";
const localize=()=>{for(const t of document.querySelectorAll("time[datetime]")){if(t.dataset.local)continue;t.dataset.local="1";const d=new Date(t.getAttribute("datetime"));if(isNaN(d.getTime()))continue;
t.title=d.toLocaleString()+" (your time)";if(d.getTimezoneOffset()===0||!t.closest(".card,table.timeline,table.runs"))continue;
const l=document.createElement("span");l.className="local";l.textContent=" · "+two(d.getHours())+":"+two(d.getMinutes())+":"+two(d.getSeconds())+" your time";(t.parentElement?.classList.contains("utc")?t.parentElement:t).after(l)}};
const tick=()=>{for(const e of document.querySelectorAll("[data-since]")){const s=Math.max(0,Math.round((Date.now()-Date.parse(e.dataset.since))/1000));(e.querySelector(".seconds")||e).textContent=words(s)}};
window.shipPage={localize,tick};localize();tick();setInterval(tick,1000);})();`;
