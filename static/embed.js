// Embeds load nothing from their provider until the reader asks: each is
// a link to the provider's page, replaced by the player on click.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("figure.embed[data-embed] > a.embed-poster");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  var figure = link.parentNode;
  var frame = document.createElement("iframe");
  frame.src = figure.getAttribute("data-embed");
  frame.title = figure.getAttribute("data-title") || "";
  frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  frame.setAttribute("allowfullscreen", "");
  frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
  figure.replaceChild(frame, link);
  frame.focus();
});
