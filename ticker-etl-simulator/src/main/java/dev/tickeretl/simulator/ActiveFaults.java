package dev.tickeretl.simulator;

import java.util.List;

/** The installed {@link FaultPlan} with what is left of it. */
final class ActiveFaults {

    private FaultPlan plan = FaultPlan.none();
    private int[] remaining = new int[0];
    private long randomDraws;

    synchronized void install(FaultPlan newPlan) {
        plan = newPlan;
        List<FaultPlan.Rule> rules = newPlan.scripted();
        remaining = new int[rules.size()];
        for (int i = 0; i < remaining.length; i++) {
            remaining[i] = rules.get(i).count();
        }
        randomDraws = 0;
    }

    /** The fault for a request with this target, or {@code null} to answer normally. */
    synchronized Fault next(String target) {
        List<FaultPlan.Rule> rules = plan.scripted();
        for (int i = 0; i < remaining.length; i++) {
            if (remaining[i] > 0 && target.contains(rules.get(i).targetContains())) {
                remaining[i]--;
                return rules.get(i).fault();
            }
        }
        if (plan.randomRate() > 0.0) {
            long draw = Noise.hash(plan.randomSeed(), randomDraws++);
            if (Noise.unit(draw) < plan.randomRate()) {
                List<Fault> kinds = plan.randomKinds();
                return kinds.get((int) Math.floorMod(Noise.mix(draw), (long) kinds.size()));
            }
        }
        return null;
    }

    synchronized int pending() {
        int sum = 0;
        for (int r : remaining) {
            sum += r;
        }
        return sum;
    }
}
