from django.utils import translation

from cordon.people.models import MoveStatus, Sex
from cordon.regions.models import Level, RegionChange
from cordon.surveillance.models import SignalStatus, StreamKind


def test_the_labels_of_levels_region_changes_sexes_moves_streams_and_signals_follow_the_users_language():
    labels = (Level.DISTRICT, RegionChange.ABOLISHED, Sex.FEMALE, MoveStatus.REJECTED, StreamKind.ILI, SignalStatus.TASKED)
    with translation.override("en"):
        assert [str(x.label) for x in labels] == ["District/county", "Abolished", "Female", "Refused by the home area",
                                                  "Influenza-like illness", "Verification task filed"]
    with translation.override("zh-hans"):
        assert [str(x.label) for x in labels] == ["区/县", "撤销", "女", "原辖区不同意", "流感样病例", "已派核查任务"]
