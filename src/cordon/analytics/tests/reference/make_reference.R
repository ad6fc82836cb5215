# Regenerates the reference outputs the analytics tests compare against, from the R packages
# themselves (Debian: r-cran-epiestim 2.2-4, r-cran-surveillance 1.20.3). Run: Rscript make_reference.R
suppressMessages({library(EpiEstim); library(surveillance)})
options(digits = 17)
w <- function(df, f) write.csv(df, f, row.names = FALSE)

data("Flu2009")
w(data.frame(dates = Flu2009$incidence$dates, I = Flu2009$incidence$I), "flu2009_incidence.csv")
w(data.frame(k = seq_along(Flu2009$si_distr) - 1, w = Flu2009$si_distr), "flu2009_si_distr.csv")
r1 <- suppressWarnings(estimate_R(Flu2009$incidence, method = "non_parametric_si", config = make_config(list(si_distr = Flu2009$si_distr))))
w(r1$R, "flu2009_rt_nonparametric.csv")
t_start <- seq(2, nrow(Flu2009$incidence) - 13); t_end <- t_start + 13
r2 <- suppressWarnings(estimate_R(Flu2009$incidence, method = "non_parametric_si", config = make_config(list(si_distr = Flu2009$si_distr, t_start = t_start, t_end = t_end))))
w(r2$R, "flu2009_rt_biweekly.csv")
r3 <- suppressWarnings(estimate_R(Flu2009$incidence, method = "parametric_si", config = make_config(list(mean_si = 2.6, std_si = 1.5))))
w(r3$R, "flu2009_rt_parametric.csv")
w(data.frame(k = 0:(nrow(Flu2009$incidence) - 1), w = discr_si(0:(nrow(Flu2009$incidence) - 1), 2.6, 1.5)), "discr_si_2.6_1.5.csv")
# local/imported split
set.seed(3)
loc <- data.frame(dates = Flu2009$incidence$dates, local = Flu2009$incidence$I, imported = rpois(nrow(Flu2009$incidence), 0.5))
loc$local[1] <- 0
w(loc, "flu2009_local_imported.csv")
r4 <- suppressWarnings(estimate_R(loc, method = "parametric_si", config = make_config(list(mean_si = 2.6, std_si = 1.5))))
w(r4$R, "flu2009_rt_local_imported.csv")

set.seed(1)
dp <- sim.pointSource(p = 0.99, r = 0.5, length = 208, A = 1, alpha = 1, beta = 0, phi = 0, frequency = 1, state = NULL, K = 1.7)
sts <- disProg2sts(dp)
w(data.frame(date = as.character(as.Date("2020-01-01") + 0:207), observed = as.vector(observed(sts))), "ears_series.csv")
out <- data.frame(index = 20:208)
for (m in c("C1", "C2", "C3")) {
  r <- earsC(sts, control = list(range = 20:208, method = m))
  out[[paste0(m, "_ub")]] <- as.vector(upperbound(r)); out[[paste0(m, "_alarm")]] <- as.integer(as.vector(alarms(r)))
  r <- earsC(sts, control = list(range = 20:208, method = m, alpha = 0.001))
  out[[paste0(m, "_ub_a001")]] <- as.vector(upperbound(r)); out[[paste0(m, "_alarm_a001")]] <- as.integer(as.vector(alarms(r)))
}
w(out, "ears_reference.csv")

data("salmonella.agona")
salm <- disProg2sts(salmonella.agona)
w(data.frame(index = seq_len(nrow(salm)), observed = as.vector(observed(salm))), "salmonella_agona.csv")
control1 <- list(range = 282:312, noPeriods = 1, b = 4, w = 3, weightsThreshold = 1, pastWeeksNotIncluded = 3, pThresholdTrend = 0.05, alpha = 0.1)
control2 <- list(range = 282:312, noPeriods = 10, b = 4, w = 3, weightsThreshold = 2.58, pastWeeksNotIncluded = 26, pThresholdTrend = 1, alpha = 0.1)
s1 <- farringtonFlexible(salm, control = control1)
s2 <- farringtonFlexible(salm, control = control2)
w(data.frame(index = 282:312, ub1 = as.vector(upperbound(s1)), alarm1 = as.integer(as.vector(alarms(s1))),
             exp1 = as.vector(s1@control$expected), trend1 = as.vector(s1@control$trend),
             ub2 = as.vector(upperbound(s2)), alarm2 = as.integer(as.vector(alarms(s2))),
             exp2 = as.vector(s2@control$expected), trend2 = as.vector(s2@control$trend)), "farrington_reference.csv")
